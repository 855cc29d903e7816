/**
 * The Evidence section of the Markdown audit report (./evidence.ts builds it): what the inputs
 * leave out, then per source the accounts, Regions, periods, counts, exceptions and rejected
 * calls. Every field is a table cell or code (./common.ts): nothing in it renders as a link, an
 * image or HTML. Its verdict column says what it means for each kind: isolation for models and
 * jobs, internet access for notebook instances, access type for Studio domains, and, when the
 * records hold them, isolation of hosted inference components for endpoint configurations,
 * remote access for Studio spaces, VPC for HyperPod clusters. Endpoint configurations, inference
 * components, spaces and clusters get a count column of their own only when the records hold
 * some, so a report without them reads as before.
 */
import type { AwsRecord } from "../inputs/types";
import { cell, code } from "./common";
import type { RecordKind } from "../inputs/records";
import { Evidence, Figures, inGroups, Isolation, JudgedRecord, KINDS, RULED } from "./evidence";

/** Code, or "—" for a value the record does not give. */
const codeOr = (s: string | undefined) => code(s, "—");

/** A record's verdict in the words of its kind's policy. */
const VERDICT: Record<string, Record<Isolation, string>> = {
    model: { on: "isolated", off: "**not isolated**", "not judged": "not judged" },
    job: { on: "isolated", off: "**not isolated**", "not judged": "not judged" },
    notebook: { on: "internet access within the rules", off: "**internet access outside the rules**", "not judged": "not judged" },
    domain: { on: "access type within the rules", off: "**access type outside the rules**", "not judged": "not judged" },
    hosting: { on: "isolated", off: "**not isolated**", "not judged": "not judged" },
    space: { on: "remote access within the rules", off: "**remote access outside the rules**", "not judged": "not judged" },
    cluster: { on: "VPC within the rules", off: "**VPC outside the rules**", "not judged": "not judged" },
};

/** What the verdict column means for the kinds reports show only when records hold them. */
const MEANS: Readonly<Record<string, string>> = {
    EndpointConfig: "isolation of the inference components they host (endpoint configurations)",
    InferenceComponent: "isolation through their endpoint configuration (inference components)",
    Space: "remote access (Studio spaces)",
    Cluster: "VPC (HyperPod clusters)",
};

function verdictCell(r: JudgedRecord): string {
    return VERDICT[KINDS.get(r.kind)!.group][r.isolation];
}

function nounOf(kind: string): string {
    return KINDS.get(kind)?.noun ?? kind;
}

/** A record's resource, and "(updated)" for an Update call's latest known settings. */
function calledNoun(r: AwsRecord): string {
    return `${nounOf(r.kind)}${r.update ? " (updated)" : ""}`;
}

/** Whether records hold notebook instances or domains (their columns are then shown). */
function hasNotebooks(fs: readonly Figures[]): boolean {
    return fs.some(f => f.notebooks + f.domains > 0);
}

/** Whether records hold kinds judged by a rule other than an isolation rule (the "outside the rules" column and titles are then shown). */
function hasRuled(fs: readonly Figures[]): boolean {
    return fs.some(f => inGroups(f, RULED) > 0);
}

/** The kinds counted in a column of their own (endpoint configurations, inference components, spaces, clusters) that `fs` hold. */
function ownColumns(fs: readonly Figures[]): RecordKind[] {
    return [...KINDS.values()].filter(k => MEANS[k.kind] !== undefined && fs.some(f => (f.byKind[k.kind] ?? 0) > 0));
}

/** Their header cells, rule cells and count cells (each ending in " |"). */
function columns(kinds: readonly RecordKind[]): { head: string; rule: string; cells: (f: Figures) => string } {
    return {
        head: kinds.map(k => ` ${k.noun.charAt(0).toUpperCase()}${k.noun.slice(1)}s |`).join(""),
        rule: kinds.map(() => "---:|").join(""),
        cells: f => kinds.map(k => ` ${f.byKind[k.kind] ?? 0} |`).join(""),
    };
}

const OUTSIDE = "Without network isolation or outside the rules";

/** The verdict column's meaning for models, jobs, notebook instances and domains. */
const VERDICTS = "Isolation (models, jobs), internet access (notebook instances), access type (Studio domains)";

/** The "Current state (AWS Config)" part of the Evidence section. */
function configMarkdown(c: NonNullable<Evidence["config"]>): string[] {
    const own = columns(ownColumns(c.regions));
    const out = ["", "### Current state (AWS Config)", "",
        "The newest configuration item of each resource, over all the AWS Config files given.", "",
        ...c.regions.length === 0 ? ["The AWS Config records hold no configuration item.", ""] : [],
        `| Account | Region | Newest capture | Models | Notebook instances | Studio domains | Jobs |${own.head} Without isolation | Outside the rules | Not judged |`,
        `|---|---|---|---:|---:|---:|---:|${own.rule}---:|---:|---:|`,
        ...c.regions.map(r => `| ${codeOr(r.account)} | ${cell(r.region)} | ${cell(r.captured)} | ${r.models} | ${r.notebooks} | ${r.domains} | ${r.jobs} |` +
            `${own.cells(r)} ${r.withoutIsolation} | ${r.outsideRules} | ${r.notJudged} |`)];
    const items = (title: string, rs: JudgedRecord[], last: string, value: (r: JudgedRecord) => string) => {
        if (rs.length > 0) {
            out.push("", `#### ${title}`, "", `| Captured | Account | Region | Resource | Name | ARN | ${last} |`, "|---|---|---|---|---|---|---|",
                ...rs.map(r => `| ${cell(r.time ?? "—")} | ${codeOr(r.account)} | ${cell(r.region)} | ${nounOf(r.kind)} | ${codeOr(r.name)} | ${codeOr(r.arn)} | ${value(r)} |`));
        }
    };
    items(OUTSIDE, c.exceptions, "Judged by", r => codeOr(KINDS.get(r.kind)!.policy));
    items("Not judged", c.notJudged, "Why", r => cell(r.reason ?? ""));
    if (c.gone.length > 0) {
        out.push("", "#### Deleted or not recorded (not judged)", "", "| Captured | Account | Region | Resource | Name | ARN | Status |", "|---|---|---|---|---|---|---|",
            ...c.gone.map(x => `| ${cell(x.time ?? "—")} | ${codeOr(x.account)} | ${cell(x.region)} | ${nounOf(x.kind)} | ${codeOr(x.name)} | ${codeOr(x.arn)} | ${x.status} |`));
    }
    return out;
}

/** The "Evidence" section of the Markdown audit report (no lines when there are no records). */
export function evidenceMarkdown(ev: Evidence | undefined): string[] {
    if (!ev) {
        return [];
    }
    const out: string[] = ["", "## Evidence", "",
        "From AWS's own records, judged by the pack's policies (" + ev.policies.map(p => codeOr(p)).join(", ") +
        ") over the same protocol as the stacks. The pack and this command make no AWS call: the records are the files given."];
    if (ev.incomplete.length > 0) {
        out.push("", "### What the records leave out", "", "These outputs are not the whole answer: what they leave out is not judged.", "",
            ...ev.incomplete.map(line => `- ${cell(line)}`));
    }
    const ct = ev.cloudTrail;
    if (ct) {
        out.push("", "### Created during the period CloudTrail covers", "");
        if (ct.accounts.length === 0) {
            out.push("The CloudTrail records hold no event.");
        }
        out.push(...ct.accounts.map(a => `**${cell(a.summary)}**\n`));
        const ruled = hasRuled(ct.regions);
        const books = hasNotebooks(ct.regions);
        const own = columns(ownColumns(ct.regions));
        if (ct.regions.length > 0) {
            out.push(`| Account | Region | First event | Last event | Models | Jobs |${books ? " Notebook instances | Studio domains |" : ""}${own.head}` +
                `${ruled ? " Outside the rules |" : ""} Without isolation | Not judged | Rejected calls |`,
                `|---|---|---|---|---:|---:|${books ? "---:|---:|" : ""}${own.rule}${ruled ? "---:|" : ""}---:|---:|---:|`,
                ...ct.regions.map(r => `| ${codeOr(r.account)} | ${cell(r.region)} | ${cell(r.first)} | ${cell(r.last)} | ${r.models} | ${r.jobs} |` +
                    `${books ? ` ${r.notebooks} | ${r.domains} |` : ""}${own.cells(r)}${ruled ? ` ${r.outsideRules} |` : ""} ${r.withoutIsolation} | ${r.notJudged} | ${r.rejected} |`));
        }
        const noFiles = ct.regions.filter(r => r.basis === "events").map(r => `${cell(r.region)} (${codeOr(r.account)})`);
        if (noFiles.length > 0) {
            out.push("", `No trail log file was read for ${noFiles.join(", ")}: the period there is the events' span (lookup-events output or single events), ` +
                "not a trail's coverage.");
        }
        const calls = (title: string, rs: JudgedRecord[], last: string, value: (r: JudgedRecord) => string) => {
            if (rs.length > 0) {
                out.push("", `#### ${title}`, "", `| Time | Account | Region | Created | Name | Event ID | Caller | ${last} |`, "|---|---|---|---|---|---|---|---|",
                    ...rs.map(r => `| ${cell(r.time ?? "")} | ${codeOr(r.account)} | ${cell(r.region)} | ${calledNoun(r)} | ${codeOr(r.name)} | ${codeOr(r.eventId)} | ${codeOr(r.caller)} | ${value(r)} |`));
            }
        };
        calls(ruled ? `Created ${OUTSIDE.toLowerCase()}` : "Created without network isolation", ct.withoutIsolation, "Judged by", r => codeOr(KINDS.get(r.kind)!.policy));
        calls("Not judged", ct.notJudged, "Why", r => cell(r.reason ?? ""));
        if (ct.rejected.length > 0) {
            out.push("", "#### Rejected by AWS (nothing created)", "", "| Time | Account | Region | Call | Name | Error code | Message (quoted values hidden) | Event ID | Caller |",
                "|---|---|---|---|---|---|---|---|---|",
                ...ct.rejected.map(x => `| ${cell(x.time)} | ${codeOr(x.account)} | ${cell(x.region)} | ${x.eventName} | ${codeOr(x.name)} | ${codeOr(x.errorCode)} | ` +
                    `${cell(x.message ?? "—")} | ${codeOr(x.eventId)} | ${codeOr(x.caller)} |`));
        }
    }
    const d = ev.describe;
    if (d) {
        out.push("", "### Current resources (`aws sagemaker describe-*` outputs)", "", ...d.accounts.map(a => `**${cell(a.summary)}**\n`),
            `| Account | Region | Resource | Name | Created | ${[VERDICTS, ...ownColumns(d.accounts).map(k => MEANS[k.kind])].join(", ")} |`, "|---|---|---|---|---|---|",
            ...d.resources.map(r => `| ${codeOr(r.account)} | ${cell(r.region)} | ${nounOf(r.kind)} | ${codeOr(r.name)} | ${cell(r.time ?? "—")} | ` +
                `${verdictCell(r)}${r.reason ? ` (${cell(r.reason)})` : ""} |`));
    }
    if (ev.config) {
        out.push(...configMarkdown(ev.config));
    }
    return out;
}
