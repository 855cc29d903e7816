/** The check command's SARIF (2.1.0) report. */
import * as path from "path";
import { pathToFileURL } from "url";
import type * as sarif from "sarif";
import type { Level } from "../engine/protocol";
import { Evaluation, StackResult } from "../engine/results";
import { TOOL_NAME } from "./common";

const SRCROOT = "%SRCROOT%";

/**
 * Where an input file is, for SARIF: relative to %SRCROOT% (the working directory) when it is
 * under it, else an absolute file:// URI.
 */
function artifactLocation(file: string): sarif.ArtifactLocation {
    const abs = path.resolve(file);
    const rel = path.relative(process.cwd(), abs);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
        return { uri: pathToFileURL(abs).href };
    }
    return { uri: rel.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function srcRoot(): string {
    const href = pathToFileURL(process.cwd()).href;
    return href.endsWith("/") ? href : href + "/";
}

export function sarifLog(e: Evaluation): sarif.Log {
    const index = new Map(e.info.policies.map((p, i) => [p.name, i]));
    const rules: sarif.ReportingDescriptor[] = e.info.policies.map(p => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: p.description },
        fullDescription: { text: p.description },
        help: {
            text: `${p.description}\n\nRemediation: ${p.remediationSteps}`,
            markdown: `${p.description}\n\n**Remediation:** ${p.remediationSteps}`,
        },
        // SARIF wants an absolute URI; the pack's own links are README anchors.
        ...(/^https?:\/\//.test(p.url) ? { helpUri: p.url } : {}),
        defaultConfiguration: { level: sarifLevel(e.config[p.name].enforcementLevel) },
        properties: {
            tags: p.tags,
            severity: p.severity,
            ...(p.framework ? { framework: p.framework } : {}),
        },
    }));
    const result = (s: StackResult, x: { policyName: string; urn: string; resourceName: string; resourceType: string }, level: Level,
        text: string, extra: Partial<sarif.Result> = {}): sarif.Result => ({
        ruleId: x.policyName,
        ...(index.has(x.policyName) ? { ruleIndex: index.get(x.policyName)! } : {}),
        level: sarifLevel(level),
        message: { text },
        locations: [{
            physicalLocation: { artifactLocation: artifactLocation(s.input.file) },
            logicalLocations: [{
                fullyQualifiedName: x.urn,
                name: x.resourceName || `${s.input.project}-${s.input.stack}`,
                kind: "resource",
            }],
        }],
        ...extra,
        properties: { stack: s.input.stack, project: s.input.project, resourceType: x.resourceType, enforcementLevel: level },
    });
    // Findings; and each exemption as a suppressed result (code scanning shows it as dismissed).
    const results: sarif.Result[] = e.stacks.flatMap(s => [
        ...s.findings.map(f => result(s, f, f.level, f.message)),
        ...s.results.filter(r => r.outcome === "exempted").map(r => {
            const level = e.config[r.policyName].enforcementLevel;
            return result(s, r, level, `${r.resourceName}: exempted from ${r.policyName}. ${r.reason}`,
                { suppressions: [{ kind: "external", status: "accepted", justification: r.reason! }] });
        }),
    ]);
    return {
        version: "2.1.0",
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [{
            tool: {
                driver: {
                    name: TOOL_NAME,
                    version: e.info.version,
                    semanticVersion: e.info.version,
                    fullName: `${TOOL_NAME} (policy pack ${e.info.name} ${e.info.version})`,
                    rules,
                },
            },
            originalUriBaseIds: { [SRCROOT]: { uri: srcRoot() } },
            artifacts: [...new Set(e.stacks.map(s => path.resolve(s.input.file)))].map(file => ({ location: artifactLocation(file) })),
            results,
        }],
    };
}

function sarifLevel(level: Level): sarif.ReportingConfiguration.level {
    return level === "mandatory" || level === "remediate" ? "error" : level === "disabled" ? "none" : "warning";
}

export function sarifText(e: Evaluation): string {
    return JSON.stringify(sarifLog(e), null, 2) + "\n";
}
