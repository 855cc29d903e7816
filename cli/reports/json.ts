/** The check command's JSON report. */
import { Evaluation } from "../engine/results";
import { counts, displayPath, FailOn, fails, inputPaths, TOOL_NAME, totalScores } from "./common";
import { evidenceOf } from "./evidence";

export function json(e: Evaluation, failOn: FailOn = "mandatory"): string {
    const doc = {
        tool: TOOL_NAME,
        policyPack: { name: e.info.name, version: e.info.version },
        config: e.config,
        stacks: e.stacks.map(s => ({
            file: displayPath(s.input.file),
            files: inputPaths(s.input), // all it was read from (describe-* outputs of one account and region make one stack)
            source: s.input.source,
            stack: s.input.stack,
            project: s.input.project,
            resources: s.input.resources.length,
            summary: counts([s]),
            scores: s.scores,
            findings: s.findings,
            results: s.results,
            remediated: s.remediated,
        })),
        summary: { ...counts(e.stacks), scores: totalScores(e), failed: fails(e, failOn), ...(failOn === "advisory" ? { failOn } : {}) },
        evidence: evidenceOf(e), // AWS records only (./evidence.ts); absent otherwise
    };
    return JSON.stringify(doc, null, 2) + "\n";
}
