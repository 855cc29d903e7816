/**
 * The check command's text report (the default format). Every field that comes from an input
 * or the pack (names, types, paths, messages, reasons) goes through terminalSafe, one line each.
 */
import { Evaluation, PolicyResult } from "../engine/results";
import { STACK_TYPE } from "../inputs/engine-value";
import {
    byResource, counts, countsText, FailOn, fails, governed, hasMandatory, inputPaths, plural, REMEDIATED, scoresText, some, summaryLine, terminalSafe as safe,
    ungoverned,
} from "./common";

const OUTCOME_TEXT: Record<PolicyResult["outcome"], string> = {
    "failed": "failed", "passed": "passed", "not-applicable": "not applicable", "exempted": "exempted",
};

export function text(e: Evaluation, failOn: FailOn = "mandatory"): string {
    const lines: string[] = [];
    const width = "not applicable".length;
    for (const s of e.stacks) {
        lines.push(`Stack ${safe(s.input.stack)} (project ${safe(s.input.project)}) - ${safe(inputPaths(s.input).join(", "))}`);
        lines.push(`  ${plural(s.input.resources.length, "resource")}: ${countsText(counts([s]))}`);
        lines.push(`  ${scoresText(s.scores)}`);
        const groups = byResource(s);
        for (const g of groups.filter(g => g.type === STACK_TYPE || governed(g))) {
            lines.push("");
            lines.push(`  ${safe(g.name)}  (${safe(g.type)})`);
            const policyWidth = Math.max(...g.results.map(r => safe(r.policyName).length), ...g.findings.map(f => safe(f.policyName).length));
            const line = (what: string, policy: string, detail: string) =>
                lines.push(`    ${what.padEnd(width)}  ${detail ? `${safe(policy).padEnd(policyWidth)}  ${safe(detail)}` : safe(policy)}`);
            for (const x of g.remediated) {
                line("remediated", x.policyName, REMEDIATED);
            }
            for (const f of g.findings) {
                line(f.level, f.policyName, f.message);
            }
            for (const r of g.results.filter(r => r.outcome !== "failed")) {
                line(OUTCOME_TEXT[r.outcome], r.policyName, r.reason ?? "");
            }
        }
        for (const [what, list] of ungoverned(s, groups)) {
            lines.push("", `  ${what} ${plural(list.length, "other resource")}: ${some(list.map(g => `${safe(g.name)} (${safe(g.type)})`))}`);
        }
        lines.push("");
    }
    const result = failOn === "mandatory" ? (hasMandatory(e) ? "FAILED: mandatory policy violations." : "Passed: no mandatory policy violations.")
        : fails(e, failOn) ? "FAILED: findings at advisory level or above (--fail-on advisory)." : "Passed: no finding at advisory level or above.";
    lines.push(`${summaryLine(e)}. ${result}`);
    return lines.join("\n") + "\n";
}
