/** The check command's report formats: text, json, sarif (2.1.0) and markdown. */
import * as path from "path";
import { pathToFileURL } from "url";
import type * as sarif from "sarif";
import { repositoryOf } from "../policies/facts/images";
import { parseArn } from "../policies/facts/marketplace";
import { extract, Container, UNREADABLE_REASONS, Workload, WORKLOAD_TYPES } from "../policies/workloads";
import { Level } from "./engine";
import { Evaluation, Finding, Remediated, StackResult } from "./evaluate";
import { plainValue } from "./input";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = typeof FORMATS[number];

export const TOOL_NAME = "sagemaker-isolation-check";

interface Counts {
    mandatory: number;
    advisory: number;
    exempted: number;
    /** Remediations applied (a resource changed by two policies counts twice). */
    remediated: number;
}

function counts(stacks: StackResult[]): Counts {
    const findings = stacks.flatMap(s => s.findings);
    return {
        mandatory: findings.filter(f => f.level === "mandatory").length,
        advisory: findings.filter(f => f.level === "advisory" && !f.exempted).length,
        exempted: findings.filter(f => f.exempted).length,
        remediated: stacks.reduce((n, s) => n + s.remediated.length, 0),
    };
}

/** "N mandatory, N advisory, N exempted", and the remediations if there are any. */
function countsText(c: Counts): string {
    return `${c.mandatory} mandatory, ${c.advisory} advisory, ${c.exempted} exempted${c.remediated ? `, ${c.remediated} remediated` : ""}`;
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
    return [...findings].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || Number(a.exempted) - Number(b.exempted));
}

interface ResourceGroup {
    urn: string;
    name: string;
    type: string;
    findings: Finding[];
    remediated: Remediated[];
}

/**
 * Findings and remediations grouped by URN, in the order resources appear in the stack (the
 * stack's own last).
 */
function byResource(s: StackResult): ResourceGroup[] {
    const groups = new Map<string, ResourceGroup>();
    const order = new Map(s.input.resources.map((r, i) => [r.urn, i]));
    const group = (x: { urn: string; resourceName: string; resourceType: string }) => {
        let g = groups.get(x.urn);
        if (!g) {
            groups.set(x.urn, g = { urn: x.urn, name: x.resourceName || "(stack)", type: x.resourceType || "pulumi:pulumi:Stack", findings: [], remediated: [] });
        }
        return g;
    };
    for (const x of s.remediated) {
        group(x).remediated.push(x);
    }
    for (const f of s.findings) {
        group(f).findings.push(f);
    }
    return [...groups.values()]
        .sort((a, b) => (order.get(a.urn) ?? Infinity) - (order.get(b.urn) ?? Infinity))
        .map(g => ({ ...g, findings: sorted(g.findings) }));
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function summaryLine(e: Evaluation): string {
    const resources = e.stacks.reduce((n, s) => n + s.input.resources.length, 0);
    return `${plural(e.stacks.length, "stack")}, ${plural(resources, "resource")}: ${countsText(counts(e.stacks))}`;
}

const REMEDIATED = "inputs changed by this policy's remediation before the policies checked them";

// ---------------------------------------------------------------------------------------------
// text

export function text(e: Evaluation): string {
    const lines: string[] = [];
    const levelWidth = e.stacks.some(s => s.remediated.length > 0) ? "remediated".length : "mandatory".length;
    for (const s of e.stacks) {
        lines.push(`Stack ${s.input.stack} (project ${s.input.project}) - ${displayPath(s.input.file)}`);
        lines.push(`  ${plural(s.input.resources.length, "resource")}: ${countsText(counts([s]))}`);
        const groups = byResource(s);
        if (groups.length === 0) {
            lines.push("  No findings.");
        }
        for (const g of groups) {
            lines.push("");
            lines.push(`  ${g.name}  (${g.type})`);
            const policyWidth = Math.max(...g.findings.map(f => f.policyName.length), ...g.remediated.map(x => x.policyName.length));
            for (const x of g.remediated) {
                lines.push(`    ${"remediated".padEnd(levelWidth)}  ${x.policyName.padEnd(policyWidth)}  ${REMEDIATED}`);
            }
            for (const f of g.findings) {
                const level = (f.exempted ? "exempted" : f.level).padEnd(levelWidth);
                lines.push(`    ${level}  ${f.policyName.padEnd(policyWidth)}  ${f.message}`);
            }
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
            findings: s.findings.map(f => ({
                policyName: f.policyName, level: f.level, exempted: f.exempted,
                urn: f.urn, resourceName: f.resourceName, resourceType: f.resourceType, message: f.message,
            })),
            remediated: s.remediated.map(x => ({
                policyName: x.policyName, urn: x.urn, resourceName: x.resourceName, resourceType: x.resourceType,
            })),
        })),
        summary: { ...counts(e.stacks), failed: hasMandatory(e) },
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
        defaultConfiguration: { level: sarifLevel(e.config[p.name]?.enforcementLevel ?? p.level) },
        properties: {
            tags: p.tags,
            severity: p.severity,
            ...(p.framework ? { framework: p.framework } : {}),
        },
    }));
    const results: sarif.Result[] = e.stacks.flatMap(s => s.findings.map((f): sarif.Result => ({
        ruleId: f.policyName,
        ...(index.has(f.policyName) ? { ruleIndex: index.get(f.policyName)! } : {}),
        level: sarifLevel(f.level),
        message: { text: f.message },
        locations: [{
            physicalLocation: { artifactLocation: artifactLocation(s.input.file) },
            logicalLocations: [{
                fullyQualifiedName: f.urn,
                name: f.resourceName || `${s.input.project}-${s.input.stack}`,
                kind: "resource",
            }],
        }],
        ...(f.exempted ? { suppressions: [{ kind: "external", status: "accepted", justification: f.message }] } : {}),
        properties: { stack: s.input.stack, project: s.input.project, resourceType: f.resourceType, enforcementLevel: f.level },
    })));
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

/** Markdown table cell: one line, pipes escaped. */
function cell(s: string): string {
    return s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

function code(s: string): string {
    return s === "" ? "" : "`" + s.replace(/`/g, "'") + "`";
}

const ISOLATION: Record<Workload["isolation"], string> = {
    on: "on",
    off: "**off**",
    absent: "**not set** (off)",
    unknown: "not known yet",
    dynamic: "set at run time",
};

const NOT_SHOWN = "(not shown)";

/**
 * What an audit report shows of a container's image or model source. Values may be secrets, so
 * never the whole value: of an image only its ECR repository name, of a model package or
 * algorithm ARN only its kind and account; anything else "(not shown)", unknown values "—".
 */
export function containerSummary(c: Container): string {
    const source = c.source?.value;
    if (typeof source === "string") {
        const arn = parseArn(source);
        return arn ? `${arn.resource === "algorithm" ? "algorithm" : "model package"} in account ${code(arn.account)}` : `model source ${NOT_SHOWN}`;
    }
    const image = c.image?.value;
    if (typeof image === "string") {
        const repo = repositoryOf(image);
        return repo ? `image ${code(repo)}` : `image ${NOT_SHOWN}`;
    }
    return "—";
}

function workloadRows(s: StackResult): string[] {
    const rows: string[] = [];
    for (const r of s.input.resources) {
        if (!WORKLOAD_TYPES.has(r.type)) {
            continue;
        }
        const remediations = s.remediated.filter(x => x.urn === r.urn);
        const before = extract(r.type, plainValue(r.inputs));
        // The policies checked the remediated inputs: show those, and what the stack declares.
        const extraction = remediations.length ? extract(r.type, plainValue(remediations[remediations.length - 1].properties)) : before;
        const mine = s.findings.filter(f => f.urn === r.urn);
        const findings = mine.filter(f => !f.exempted).length;
        const exempted = mine.filter(f => f.exempted).length;
        let status = `${findings === 0 ? "none" : plural(findings, "finding")}${exempted ? `, ${exempted} exempted` : ""}` +
            (remediations.length ? `; remediated by ${remediations.map(x => code(x.policyName)).join(", ")}` : "");
        for (const w of extraction.workloads) {
            const declared = before.workloads.find(b => b.path === w.path && b.kind === w.kind);
            const isolation = declared && declared.isolation !== w.isolation
                ? `${ISOLATION[w.isolation]} (remediated; declared: ${ISOLATION[declared.isolation]})` : ISOLATION[w.isolation];
            const images = w.containers.map(containerSummary);
            rows.push(`| ${cell(code(r.name))} | ${cell(code(r.type))} | ${w.kind}${w.path ? ` at ${cell(code(w.path))}` : ""} | ${isolation} | ` +
                `${w.vpc ? "yes" : "no"} | ${cell(images.join("<br>"))} | ${status} |`);
            status = "(as above)"; // the resource's findings are counted once, on its first row
        }
        for (const u of extraction.unreadable) {
            rows.push(`| ${cell(code(r.name))} | ${cell(code(r.type))} | ${cell(code(u.path))} ${cell(UNREADABLE_REASONS[u.why])} | - | - | - | ${status} |`);
        }
        if (extraction.workloads.length === 0 && extraction.unreadable.length === 0) {
            rows.push(`| ${cell(code(r.name))} | ${cell(code(r.type))} | declares no model or job | - | - | - | ${status} |`);
        }
    }
    return rows;
}

export function markdown(e: Evaluation): string {
    const out: string[] = [];
    out.push("# SageMaker network isolation audit", "");
    out.push(`Policy pack \`${e.info.name}\` ${e.info.version}, evaluated by \`${TOOL_NAME}\` through the pack's own policies ` +
        "(resource policies on inputs, the stack policy on outputs), as `pulumi preview` evaluates them.", "");
    out.push("| Stack | Project | Source | Resources | Mandatory | Advisory | Exempted | Remediated |", "|---|---|---|---:|---:|---:|---:|---:|");
    for (const s of e.stacks) {
        const c = counts([s]);
        out.push(`| ${cell(code(s.input.stack))} | ${cell(code(s.input.project))} | ${cell(code(displayPath(s.input.file)))} | ${s.input.resources.length} | ${c.mandatory} | ${c.advisory} | ${c.exempted} | ${c.remediated} |`);
    }
    out.push("", `**Result:** ${hasMandatory(e) ? "FAILED (mandatory policy violations)" : "passed (no mandatory policy violations)"}.`, "");
    out.push("## Policies", "", "| Policy | Level | Description |", "|---|---|---|");
    for (const p of e.info.policies) {
        out.push(`| ${cell(code(p.name))} | ${e.config[p.name]?.enforcementLevel ?? p.level} | ${cell(p.description)} |`);
    }
    for (const s of e.stacks) {
        out.push("", `## Stack \`${s.input.stack}\` (project \`${s.input.project}\`)`, "", `Source: \`${displayPath(s.input.file)}\` (${s.input.source === "export" ? "stack export" : "preview"}).`, "");
        out.push("### SageMaker models and jobs", "");
        const rows = workloadRows(s);
        if (rows.length === 0) {
            out.push("None declared in this stack.");
        } else {
            out.push("| Resource | Type | Workload | Network isolation | VPC | Image repository or model source | Resource findings |", "|---|---|---|---|---|---|---|", ...rows);
        }
        const findings = sorted(s.findings.filter(f => !f.exempted));
        out.push("", "### Findings", "");
        if (findings.length === 0) {
            out.push("None.");
        } else {
            out.push("| Level | Policy | Resource | Message |", "|---|---|---|---|");
            for (const f of findings) {
                out.push(`| ${f.level === "mandatory" ? "**mandatory**" : f.level} | ${cell(code(f.policyName))} | ${cell(code(f.resourceName || "(stack)"))} | ${cell(f.message)} |`);
            }
        }
        if (s.remediated.length > 0) {
            out.push("", "### Remediations", "", "| Policy | Resource | Change |", "|---|---|---|");
            for (const x of s.remediated) {
                out.push(`| ${cell(code(x.policyName))} | ${cell(code(x.resourceName))} | ${REMEDIATED} |`);
            }
        }
        const exempted = s.findings.filter(f => f.exempted);
        out.push("", "### Exemptions", "");
        if (exempted.length === 0) {
            out.push("None applied.");
        } else {
            out.push("| Policy | Resource | Exemption and finding |", "|---|---|---|");
            for (const f of exempted) {
                out.push(`| ${cell(code(f.policyName))} | ${cell(code(f.resourceName || "(stack)"))} | ${cell(f.message)} |`);
            }
        }
    }
    out.push("", `_${summaryLine(e)}._`, "");
    return out.join("\n");
}

export function render(format: Format, e: Evaluation): string {
    switch (format) {
        case "text": return text(e);
        case "json": return json(e);
        case "sarif": return sarifText(e);
        case "markdown": return markdown(e);
    }
}
