/** The check command's Markdown audit report. */
import { Evaluation, PolicyResult } from "../engine/results";
import { STACK_TYPE } from "../inputs/engine-value";
import { sourceName } from "../inputs";
import {
    byResource, cell, code, counts, FailOn, fails, governed, hasMandatory, inputPaths, percent, plural, REMEDIATED, ResourceGroup, scoresText, some, sorted,
    stackLabel, summaryLine, TOOL_NAME, totalScores, ungoverned,
} from "./common";
import { evidenceOf } from "./evidence";
import { evidenceMarkdown } from "./evidence-markdown";

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

/**
 * The report: the headline (stacks, result at `failOn`), then for AWS records the Evidence (what
 * an auditor reads first), then the policies, each stack's results and findings.
 */
export function markdown(e: Evaluation, failOn: FailOn = "mandatory"): string {
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
        out.push(`| ${code(s.input.stack)} | ${code(s.input.project)} | ${inputPaths(s.input).map(f => code(f)).join(", ")} | ${s.input.resources.length} | ` +
            `${c.mandatory} | ${c.advisory} | ${c.exempted} | ${c.remediated} | ${percent(s.scores.policies)} | ${percent(s.scores.resources)} |`);
    }
    const result = failOn === "mandatory" ? (hasMandatory(e) ? "FAILED (mandatory policy violations)" : "passed (no mandatory policy violations)")
        : fails(e, failOn) ? "FAILED (findings at advisory level or above: --fail-on advisory)" : "passed (no finding at advisory level or above)";
    out.push("", `**Result:** ${result}. ${scoresText(totalScores(e), true)}.`);
    out.push(...evidenceMarkdown(evidenceOf(e))); // AWS records only (./evidence.ts): before the stacks, in an auditor's order
    out.push("");
    out.push("## Policies", "", "| Policy | Kind | Level | Description |", "|---|---|---|---|");
    for (const p of e.info.policies) {
        out.push(`| ${code(p.name)} | ${p.type} | ${e.config[p.name].enforcementLevel} | ${cell(p.description)} |`);
    }
    const resourcePolicies = e.info.policies.filter(p => p.type === "resource" && e.config[p.name].enforcementLevel !== "disabled").map(p => p.name);
    for (const s of e.stacks) {
        out.push("", `## Stack \`${s.input.stack}\` (project \`${s.input.project}\`)`, "",
            `Source: ${inputPaths(s.input).map(f => `\`${f}\``).join(", ")} (${sourceName(s.input.source)}). ${scoresText(s.scores)}.`, "");
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
                out.push(`| ${f.level === "mandatory" ? "**mandatory**" : f.level} | ${code(f.policyName)} | ${code(f.resourceName || stackLabel(s.input))} | ${cell(f.message)} |`);
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
    out.push("", `_${summaryLine(e)}._`, "");
    return out.join("\n");
}
