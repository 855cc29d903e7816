/** The check command's report formats: text, json, sarif (2.1.0) and markdown. */
import * as path from "path";
import { pathToFileURL } from "url";
import type * as sarif from "sarif";
import { Level } from "./engine/client";
import { cell, code, plural } from "./markdown";
import { Evaluation, Finding, PolicyResult, Remediated, Score, score, Scores, StackResult, STACK_TYPE } from "./engine/evaluate";
import { evidenceMarkdown, evidenceOf } from "./evidence";
import { SOURCE_NAMES } from "./input";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = typeof FORMATS[number];

export const TOOL_NAME = "sagemaker-isolation-check";

interface Counts {
    mandatory: number;
    advisory: number;
    /** Results that an exemption made not applicable. */
    exempted: number;
    /** Remediations applied (a resource changed by two policies counts twice). */
    remediated: number;
}

function counts(stacks: StackResult[]): Counts {
    const findings = stacks.flatMap(s => s.findings);
    return {
        mandatory: findings.filter(f => f.level === "mandatory").length,
        advisory: findings.filter(f => f.level === "advisory").length,
        exempted: stacks.reduce((n, s) => n + s.results.filter(r => r.outcome === "exempted").length, 0),
        remediated: stacks.reduce((n, s) => n + s.remediated.length, 0),
    };
}

/** "N mandatory, N advisory, N exempted", and the remediations if there are any. */
function countsText(c: Counts): string {
    return `${c.mandatory} mandatory, ${c.advisory} advisory, ${c.exempted} exempted${c.remediated ? `, ${c.remediated} remediated` : ""}`;
}

function percent(s: Score): string {
    return s.percent === null ? "n/a" : `${s.percent}%`;
}

/** Both compliance scores, as Pulumi Cloud defines them. */
function scoresText(s: Scores): string {
    return `Policy compliance ${percent(s.policies)} (${s.policies.part} of ${s.policies.whole} applicable policies passing), ` +
        `resource compliance ${percent(s.resources)} (${s.resources.part} of ${s.resources.whole} governed resources compliant)`;
}

/**
 * Text safe to print on a terminal: control characters other than newline (an ANSI escape in
 * a resource name, a carriage return in a path) are shown escaped, e.g. `\x1b`.
 */
export function terminalSafe(s: string): string {
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    return s.replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

export function hasMandatory(e: Evaluation): boolean {
    return e.stacks.some(s => s.findings.some(f => f.level === "mandatory"));
}

/** Path of an input file as reports show it: relative to the working directory, with slashes. */
function displayPath(file: string): string {
    const rel = path.relative(process.cwd(), path.resolve(file));
    return (rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(file) : rel).split(path.sep).join("/");
}

const LEVEL_ORDER: Record<Level, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

function sorted(findings: Finding[]): Finding[] {
    return [...findings].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
}

const OUTCOME_ORDER: Record<PolicyResult["outcome"], number> = { "failed": 0, "exempted": 1, "passed": 2, "not-applicable": 3 };

interface ResourceGroup {
    urn: string;
    name: string;
    type: string;
    findings: Finding[];
    results: PolicyResult[];
    remediated: Remediated[];
}

/** Whether any policy applies to the group: it passed or failed one, or an exemption covers it. */
function governed(g: ResourceGroup): boolean {
    return g.findings.length > 0 || g.remediated.length > 0 || g.results.some(r => r.outcome !== "not-applicable");
}

/**
 * Findings, results and remediations grouped by URN, in the order resources appear in the
 * stack, the stack's own last.
 */
function byResource(s: StackResult): ResourceGroup[] {
    const groups = new Map<string, ResourceGroup>();
    const group = (urn: string, name: string, type: string) => {
        let g = groups.get(urn);
        if (!g) {
            groups.set(urn, g = { urn, name: name || "(stack)", type: type || STACK_TYPE, findings: [], results: [], remediated: [] });
        }
        return g;
    };
    for (const r of s.input.resources) {
        group(r.urn, r.name, r.type);
    }
    for (const x of s.remediated) {
        group(x.urn, x.resourceName, x.resourceType).remediated.push(x);
    }
    for (const r of s.results) {
        group(r.urn, r.resourceName, r.resourceType).results.push(r);
    }
    for (const f of s.findings) {
        group(f.urn, f.resourceName, f.resourceType).findings.push(f);
    }
    // Every resource of the stack went in first, in order; the stack's own group comes after.
    return [...groups.values()]
        .map(g => ({ ...g, findings: sorted(g.findings), results: [...g.results].sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]) }));
}

/**
 * The resources no resource policy judged, in two lists with their headings: those no policy
 * applies to, and those read with `.get()`, which the engine does not analyze.
 */
function ungoverned(s: StackResult, groups: ResourceGroup[]): [string, ResourceGroup[]][] {
    const read = new Set(s.input.resources.filter(r => r.external).map(r => r.urn));
    const others = groups.filter(g => g.type !== STACK_TYPE && !governed(g));
    return ([
        ["No policy applies to", others.filter(g => !read.has(g.urn))],
        ["Read with .get(), so not analyzed by the resource policies (the stack policy sees them):", others.filter(g => read.has(g.urn))],
    ] as [string, ResourceGroup[]][]).filter(([, list]) => list.length > 0);
}

/** At most `max` names, then "and N more". */
function some(names: string[], max = 8): string {
    return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

function summaryLine(e: Evaluation): string {
    const resources = e.stacks.reduce((n, s) => n + s.input.resources.length, 0);
    return `${plural(e.stacks.length, "stack")}, ${plural(resources, "resource")}: ${countsText(counts(e.stacks))}. ` +
scoresText(totalScores(e));
}

/** The scores of all stacks together: sums of their parts and wholes. */
function totalScores(e: Evaluation): Scores {
    const sum = (pick: (s: Scores) => Score) => score(
        e.stacks.reduce((n, s) => n + pick(s.scores).part, 0), e.stacks.reduce((n, s) => n + pick(s.scores).whole, 0));
    return { policies: sum(s => s.policies), resources: sum(s => s.resources) };
}

const REMEDIATED = "inputs changed by this policy's remediation before the policies checked them";

const OUTCOME_TEXT: Record<PolicyResult["outcome"], string> = {
    "failed": "failed", "passed": "passed", "not-applicable": "not applicable", "exempted": "exempted",
};

// ---------------------------------------------------------------------------------------------
// text

export function text(e: Evaluation): string {
    const lines: string[] = [];
    const width = "not applicable".length;
    for (const s of e.stacks) {
        lines.push(`Stack ${s.input.stack} (project ${s.input.project}) - ${displayPath(s.input.file)}`);
        lines.push(`  ${plural(s.input.resources.length, "resource")}: ${countsText(counts([s]))}`);
        lines.push(`  ${scoresText(s.scores)}`);
        const groups = byResource(s);
        for (const g of groups.filter(g => g.type === STACK_TYPE || governed(g))) {
            lines.push("");
            lines.push(`  ${g.name}  (${g.type})`);
            const policyWidth = Math.max(...g.results.map(r => r.policyName.length), ...g.findings.map(f => f.policyName.length));
            const line = (what: string, policy: string, detail: string) =>
                lines.push(`    ${what.padEnd(width)}  ${detail ? `${policy.padEnd(policyWidth)}  ${detail}` : policy}`);
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
            lines.push("", `  ${what} ${plural(list.length, "other resource")}: ${some(list.map(g => `${g.name} (${g.type})`))}`);
        }
        lines.push("");
    }
    lines.push(`${summaryLine(e)}. ${hasMandatory(e) ? "FAILED: mandatory policy violations." : "Passed: no mandatory policy violations."}`);
    return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// json

export function json(e: Evaluation): string {
    const doc = {
        tool: TOOL_NAME,
        policyPack: { name: e.info.name, version: e.info.version },
        config: e.config,
        stacks: e.stacks.map(s => ({
            file: displayPath(s.input.file),
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
        summary: { ...counts(e.stacks), scores: totalScores(e), failed: hasMandatory(e) },
        evidence: evidenceOf(e), // AWS records only (cli/evidence.ts); absent otherwise
    };
    return JSON.stringify(doc, null, 2) + "\n";
}

// ---------------------------------------------------------------------------------------------
// sarif

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

// ---------------------------------------------------------------------------------------------
// markdown

const CELL: Record<PolicyResult["outcome"], string> = {
    "failed": "**failed**", "passed": "passed", "not-applicable": "n/a", "exempted": "exempted",
};

/** One row per resource some policy applies to, one column per resource policy: its result there. */
function resultsTable(groups: ResourceGroup[], policies: string[]): string[] {
    const rows: string[] = [];
    for (const g of groups.filter(g => g.type !== STACK_TYPE && governed(g))) {
        const outcome = (p: string) => g.results.find(r => r.policyName === p)?.outcome;
        const cells = policies.map(p => {
            const o = outcome(p);
            const remediated = g.remediated.some(x => x.policyName === p) ? " (remediated)" : "";
            return o ? CELL[o] + remediated : "—";
        });
        rows.push(`| ${code(g.name)} | ${code(g.type)} | ${cells.join(" | ")} |`);
    }
    return rows;
}

export function markdown(e: Evaluation): string {
    const out: string[] = [];
    out.push("# SageMaker network isolation audit", "");
    out.push(`Policy pack \`${e.info.name}\` ${e.info.version}, evaluated by \`${TOOL_NAME}\` through the pack's own policies ` +
        "over the analyzer protocol (resource policies on inputs, the stack policy on outputs), as the Pulumi engine evaluates them. " +
        "Each result is what the pack answered: failed (a finding), not applicable (with the pack's reason), exempted " +
        "(not applicable by a configured exemption), or passed.", "");
    out.push("| Stack | Project | Source | Resources | Mandatory | Advisory | Exempted | Remediated | Policy compliance | Resource compliance |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const s of e.stacks) {
        const c = counts([s]);
        out.push(`| ${code(s.input.stack)} | ${code(s.input.project)} | ${code(displayPath(s.input.file))} | ${s.input.resources.length} | ` +
            `${c.mandatory} | ${c.advisory} | ${c.exempted} | ${c.remediated} | ${percent(s.scores.policies)} | ${percent(s.scores.resources)} |`);
    }
    out.push("", `**Result:** ${hasMandatory(e) ? "FAILED (mandatory policy violations)" : "passed (no mandatory policy violations)"}. ${scoresText(totalScores(e))}.`, "");
    out.push("## Policies", "", "| Policy | Kind | Level | Description |", "|---|---|---|---|");
    for (const p of e.info.policies) {
        out.push(`| ${code(p.name)} | ${p.type} | ${e.config[p.name].enforcementLevel} | ${cell(p.description)} |`);
    }
    const resourcePolicies = e.info.policies.filter(p => p.type === "resource" && e.config[p.name].enforcementLevel !== "disabled").map(p => p.name);
    for (const s of e.stacks) {
        out.push("", `## Stack \`${s.input.stack}\` (project \`${s.input.project}\`)`, "",
            `Source: \`${displayPath(s.input.file)}\` (${SOURCE_NAMES[s.input.source]}). ${scoresText(s.scores)}.`, "");
        out.push("### Results by resource", "");
        const groups = byResource(s);
        const rows = resultsTable(groups, resourcePolicies);
        if (rows.length === 0) {
            out.push("No resource policy applies to any resource of this stack.");
        } else {
            out.push(`| Resource | Type | ${resourcePolicies.map(p => code(p)).join(" | ")} |`, `|---|---|${resourcePolicies.map(() => "---").join("|")}|`, ...rows);
        }
        for (const r of s.results.filter(r => r.resourceType === STACK_TYPE)) {
            out.push("", `Stack policy ${code(r.policyName)}: ${CELL[r.outcome]}${r.reason ? ` (${cell(r.reason)})` : ""}.`);
        }
        for (const [what, list] of ungoverned(s, groups)) {
            out.push("", `${what} ${plural(list.length, "other resource")}: ${some(list.map(g => `${code(g.name)} (${code(g.type)})`))}.`);
        }
        const findings = sorted(s.findings);
        out.push("", "### Findings", "");
        if (findings.length === 0) {
            out.push("None.");
        } else {
            out.push("| Level | Policy | Resource | Message |", "|---|---|---|---|");
            for (const f of findings) {
                out.push(`| ${f.level === "mandatory" ? "**mandatory**" : f.level} | ${code(f.policyName)} | ${code(f.resourceName || "(stack)")} | ${cell(f.message)} |`);
            }
        }
        if (s.remediated.length > 0) {
            out.push("", "### Remediations", "", "| Policy | Resource | Change |", "|---|---|---|");
            for (const x of s.remediated) {
                out.push(`| ${code(x.policyName)} | ${code(x.resourceName)} | ${REMEDIATED} |`);
            }
        }
        const exempted = s.results.filter(r => r.outcome === "exempted");
        out.push("", "### Exemptions", "");
        if (exempted.length === 0) {
            out.push("None applied.");
        } else {
            out.push("| Policy | Resource | Exemption | Reason | Expires |", "|---|---|---|---|---|");
            for (const r of exempted) {
                const x = r.exemption!;
                out.push(`| ${code(r.policyName)} | ${code(r.resourceName)} | ${code(x.resource)} | ${cell(x.reason)} | ${x.expires ?? "never"} |`);
            }
        }
    }
    out.push(...evidenceMarkdown(evidenceOf(e))); // AWS records only (cli/evidence.ts)
    out.push("", `_${summaryLine(e)}._`, "");
    return out.join("\n");
}

export function render(format: Format, e: Evaluation): string {
    switch (format) {
        case "text": return terminalSafe(text(e));
        case "json": return json(e);
        case "sarif": return sarifText(e);
        case "markdown": return terminalSafe(markdown(e));
    }
}
