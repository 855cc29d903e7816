/**
 * Audit evidence from AWS's own records (cli/inputs/cloudtrail.ts, cli/inputs/describe.ts): per
 * account and region, the period CloudTrail covers, the models and jobs created, each one
 * created without network isolation, the calls AWS rejected; and the current resources that
 * describe-* outputs show.
 *
 * Whether a record is isolated is the pack's verdict, never judged here: the isolation policy of
 * its kind reported a diagnostic on its URN (or changed it by remediation) → not isolated; that
 * policy said it does not apply, or is disabled → not judged; otherwise isolated. Nothing here
 * prints a request value: names, times, regions, event ids and caller ARNs only.
 */
import type { Evaluation } from "../engine/results";
import { RECORD_KINDS } from "../inputs/records";
import type { AwsRecord, RecordSet, RejectedCall } from "../inputs/types";
import { diagnosticKind } from "../../policies/wire";
import { cell, code, plural } from "./common";

/** What the pack said about one record's resource, from the protocol. */
export interface Verdict {
    /** Policies that reported a diagnostic on the record's URN, or changed it by remediation. */
    reported: readonly string[];
    /** Policies that said they do not apply to it, with their reasons (Analyze's not_applicable). */
    notApplicable: readonly { policyName: string; reason: string }[];
}

export interface Verdicts {
    /** The policies that ran (enforcement level other than "disabled"). */
    enabled: ReadonlySet<string>;
    byUrn: ReadonlyMap<string, Verdict>;
}

export type Isolation = "on" | "off" | "not judged";

/** A record with its isolation state. */
export interface JudgedRecord extends AwsRecord {
    isolation: Isolation;
    /** Why it was not judged (the policy's not-applicable reason, or that it is disabled). */
    reason?: string;
}

/** Counts of records, for an account (with its summary sentence) or for one of its regions. */
export interface Figures {
    models: number;
    jobs: number;
    /** Records per kind (API names: Model, TrainingJob, ...), kinds with none left out. */
    byKind: Record<string, number>;
    withoutIsolation: number;
    notJudged: number;
}

/** CloudTrail: what the records cover, and the calls AWS rejected. */
export interface Coverage {
    /** The first and last eventTime of the events read (any service). */
    first: string;
    last: string;
    rejected: number;
}

export interface AccountFigures extends Figures {
    account: string;
    regions: string[];
    /** The sentence an auditor asks for, with these figures. */
    summary: string;
}

export interface Evidence {
    /** The isolation policies whose verdicts these are. */
    policies: string[];
    cloudTrail?: {
        accounts: (AccountFigures & Coverage)[];
        regions: ({ account: string; region: string } & Figures & Coverage)[];
        withoutIsolation: JudgedRecord[];
        notJudged: JudgedRecord[];
        rejected: RejectedCall[];
    };
    describe?: {
        accounts: AccountFigures[];
        resources: JudgedRecord[];
    };
}

const KINDS = new Map(RECORD_KINDS.map(k => [k.kind, k]));
const KIND_ORDER = new Map(RECORD_KINDS.map((k, i) => [k.kind, i]));

function judge(r: AwsRecord, v: Verdicts): JudgedRecord {
    const { policy } = KINDS.get(r.kind)!;
    const verdict = v.byUrn.get(r.urn);
    const notApplicable = verdict?.notApplicable.find(x => x.policyName === policy)?.reason;
    const [isolation, reason]: [Isolation, string?] = !v.enabled.has(policy) ? ["not judged", `${policy} is disabled`]
        : verdict?.reported.includes(policy) ? ["off"]
            : notApplicable !== undefined ? ["not judged", notApplicable] : ["on"];
    const { urn, ...rest } = r;
    return { ...rest, isolation, ...(reason !== undefined && { reason }), urn };
}

function ms(t: string | undefined): number {
    return t === undefined ? NaN : Date.parse(t);
}

/** Sorted by time (each parsed once); those without one first. */
function byTime<T extends { time?: string }>(xs: T[]): T[] {
    return xs.map(x => ({ x, t: ms(x.time) || 0 })).sort((a, b) => a.t - b.t).map(({ x }) => x);
}


function figures(judged: JudgedRecord[]): Figures {
    const byKind: Record<string, number> = {};
    for (const k of RECORD_KINDS) {
        const n = judged.filter(j => j.kind === k.kind).length;
        if (n > 0) {
            byKind[k.kind] = n;
        }
    }
    const models = judged.filter(j => KINDS.get(j.kind)!.group === "model").length;
    return {
        models, jobs: judged.length - models, byKind,
        withoutIsolation: judged.filter(j => j.isolation === "off").length,
        notJudged: judged.filter(j => j.isolation === "not judged").length,
    };
}

/** "2 models and 3 jobs (1 training job, 2 processing jobs)" */
function whatText(f: Figures): string {
    const jobs = RECORD_KINDS.filter(k => k.group === "job" && f.byKind[k.kind]).map(k => plural(f.byKind[k.kind], k.noun));
    return `${plural(f.models, "model")} and ${plural(f.jobs, "job")}${jobs.length ? ` (${jobs.join(", ")})` : ""}`;
}

function regionsText(regions: string[]): string {
    return `${regions.length === 1 ? "region" : "regions"} ${regions.join(", ")}`;
}

/** "; all with network isolation." or "; 1 without network isolation, 1 not judged (listed below)." */
function isolationText(f: Figures): string {
    if (f.models + f.jobs === 0) {
        return ".";
    }
    if (f.withoutIsolation === 0 && f.notJudged === 0) {
        return "; all with network isolation.";
    }
    const parts = [
        ...(f.withoutIsolation ? [`${f.withoutIsolation} without network isolation`] : []),
        ...(f.notJudged ? [`${f.notJudged} not judged by the isolation policies`] : []),
    ];
    return `; ${parts.join(", ")} (listed below).`;
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
    const m = new Map<string, T[]>();
    for (const x of xs) {
        const k = key(x);
        const list = m.get(k);
        if (list) {
            list.push(x);
        } else {
            m.set(k, [x]);
        }
    }
    return new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
}

function cloudTrailEvidence(sets: RecordSet[], verdicts: Verdicts): NonNullable<Evidence["cloudTrail"]> {
    // The same call read from two inputs (a trail file and lookup-events output) counts once.
    const judged = byTime([...new Map(sets.flatMap(s => s.records).map(r => [r.urn, judge(r, verdicts)])).values()]);
    const rejected = byTime([...new Map(sets.flatMap(s => s.rejected).map(x => [x.eventId, x])).values()]);
    const covered = sets.filter(s => s.first !== undefined);
    const coverage = (ss: RecordSet[], rejectedHere: RejectedCall[]): Coverage => ({
        first: ss.map(s => s.first!).reduce((a, b) => ms(b) < ms(a) ? b : a),
        last: ss.map(s => s.last!).reduce((a, b) => ms(b) > ms(a) ? b : a),
        rejected: rejectedHere.length,
    });
    const regions = [...groupBy(covered, s => `${s.account}\n${s.region}`).values()].map(ss => {
        const { account, region } = ss[0];
        const here = (x: { account: string; region: string }) => x.account === account && x.region === region;
        return { account, region, ...figures(judged.filter(here)), ...coverage(ss, rejected.filter(here)) };
    });
    const accounts = [...groupBy(covered, s => s.account)].map(([account, ss]) => {
        const regions = [...new Set(ss.map(s => s.region))].sort();
        const f = { ...figures(judged.filter(j => j.account === account)), ...coverage(ss, rejected.filter(x => x.account === account)) };
        const refused = f.rejected ? ` ${plural(f.rejected, "create call")} rejected by AWS created nothing (listed below).` : "";
        const summary = `Account ${account || "(not recorded)"}: ${whatText(f)} created between ${f.first} and ${f.last} in ` +
            `${regionsText(regions)}${isolationText(f)}${refused}`;
        return { account, regions, ...f, summary };
    });
    return {
        accounts, regions,
        withoutIsolation: judged.filter(j => j.isolation === "off"),
        notJudged: judged.filter(j => j.isolation === "not judged"),
        rejected,
    };
}

function describeEvidence(sets: RecordSet[], verdicts: Verdicts): NonNullable<Evidence["describe"]> {
    const resources = [...new Map(sets.flatMap(s => s.records).map(r => [r.urn, judge(r, verdicts)])).values()]
        .sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) ||
            KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! || a.name.localeCompare(b.name));
    const accounts = [...groupBy(resources, r => r.account)].map(([account, rs]) => {
        const regions = [...new Set(rs.map(r => r.region))].sort();
        const f = figures(rs);
        return { account, regions, ...f, summary: `Account ${account}: ${whatText(f)} in ${regionsText(regions)}${isolationText(f)}` };
    });
    return { accounts, resources };
}

/** The evidence of the records in `sets`, judged by `verdicts`; undefined when there are no records. */
export function buildEvidence(sets: readonly RecordSet[], verdicts: Verdicts): Evidence | undefined {
    if (sets.length === 0) {
        return undefined;
    }
    const trail = sets.filter(s => s.source === "cloudtrail");
    const described = sets.filter(s => s.source === "describe");
    return {
        policies: [...new Set(RECORD_KINDS.map(k => k.policy))],
        ...(trail.length > 0 && { cloudTrail: cloudTrailEvidence(trail, verdicts) }),
        ...(described.length > 0 && { describe: describeEvidence(described, verdicts) }),
    };
}

/**
 * The verdicts of an evaluation, for the records' URNs: the one place that reads the
 * evaluation's shape (diagnostics, remediations, not-applicable lists and enforcement levels).
 */
export function evidenceOf(e: Evaluation): Evidence | undefined {
    const stacks = e.stacks.filter(s => s.input.records !== undefined);
    const byUrn = new Map<string, { reported: string[]; notApplicable: { policyName: string; reason: string }[] }>();
    const at = (urn: string) => {
        let v = byUrn.get(urn);
        if (!v) {
            byUrn.set(urn, v = { reported: [], notApplicable: [] });
        }
        return v;
    };
    for (const s of stacks) {
        // A failed result counts as "without isolation" only for a violation; a note (the policy
        // could not decide) leaves the record not judged, with the note as the reason.
        const violations = new Set<string>();
        const notes = new Map<string, string>();
        for (const f of s.findings) {
            const key = `${f.urn}\0${f.policyName}`;
            if (diagnosticKind(f.message) === "violation") {
                violations.add(key);
            } else if (!notes.has(key)) {
                notes.set(key, f.message);
            }
        }
        for (const r of s.results) {
            const key = `${r.urn}\0${r.policyName}`;
            if (r.outcome === "failed" && violations.has(key)) {
                at(r.urn).reported.push(r.policyName);
            } else if (r.outcome === "failed") {
                at(r.urn).notApplicable.push({ policyName: r.policyName, reason: notes.get(key) ?? "" });
            } else if (r.outcome !== "passed") {
                at(r.urn).notApplicable.push({ policyName: r.policyName, reason: r.reason ?? "" });
            }
        }
        s.remediated.forEach(x => at(x.urn).reported.push(x.policyName));
    }
    const enabled = new Set(Object.entries(e.config).filter(([, c]) => c.enforcementLevel !== "disabled").map(([name]) => name));
    return buildEvidence(stacks.map(s => s.input.records!), { enabled, byUrn });
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Code, or "—" for a value the record does not give. */
const codeOr = (s: string | undefined) => code(s, "—");

const ISOLATION_CELL: Record<Isolation, string> = { on: "on", off: "**off**", "not judged": "not judged" };

function nounOf(kind: string): string {
    return KINDS.get(kind)?.noun ?? kind;
}

/** The "Evidence" section of the Markdown audit report (no lines when there are no records). */
export function evidenceMarkdown(ev: Evidence | undefined): string[] {
    if (!ev) {
        return [];
    }
    const out: string[] = ["", "## Evidence", "",
        "From AWS's own records, judged by the pack's isolation policies (" + ev.policies.map(p => codeOr(p)).join(", ") +
        ") over the same protocol as the stacks above. The pack and this command make no AWS call: the records are the files given."];
    const ct = ev.cloudTrail;
    if (ct) {
        out.push("", "### Created during the period CloudTrail covers", "");
        if (ct.accounts.length === 0) {
            out.push("The CloudTrail records hold no event.");
        }
        out.push(...ct.accounts.map(a => `**${cell(a.summary)}**\n`));
        if (ct.regions.length > 0) {
            out.push("| Account | Region | First event | Last event | Models | Jobs | Without isolation | Not judged | Rejected calls |",
                "|---|---|---|---|---:|---:|---:|---:|---:|",
                ...ct.regions.map(r => `| ${codeOr(r.account)} | ${cell(r.region)} | ${cell(r.first)} | ${cell(r.last)} | ${r.models} | ${r.jobs} | ${r.withoutIsolation} | ${r.notJudged} | ${r.rejected} |`));
        }
        const calls = (title: string, rs: JudgedRecord[], last: string, value: (r: JudgedRecord) => string) => {
            if (rs.length > 0) {
                out.push("", `#### ${title}`, "", `| Time | Account | Region | Created | Name | Event ID | Caller | ${last} |`, "|---|---|---|---|---|---|---|---|",
                    ...rs.map(r => `| ${cell(r.time ?? "")} | ${codeOr(r.account)} | ${cell(r.region)} | ${nounOf(r.kind)} | ${codeOr(r.name)} | ${codeOr(r.eventId)} | ${codeOr(r.caller)} | ${value(r)} |`));
            }
        };
        calls("Created without network isolation", ct.withoutIsolation, "Judged by", r => codeOr(KINDS.get(r.kind)!.policy));
        calls("Not judged by the isolation policies", ct.notJudged, "Why", r => cell(r.reason ?? ""));
        if (ct.rejected.length > 0) {
            out.push("", "#### Rejected by AWS (nothing created)", "", "| Time | Account | Region | Call | Error code | Event ID | Caller |", "|---|---|---|---|---|---|---|",
                ...ct.rejected.map(x => `| ${cell(x.time)} | ${codeOr(x.account)} | ${cell(x.region)} | ${x.eventName} | ${codeOr(x.errorCode)} | ${codeOr(x.eventId)} | ${codeOr(x.caller)} |`));
        }
    }
    const d = ev.describe;
    if (d) {
        out.push("", "### Current resources (`aws sagemaker describe-*` outputs)", "", ...d.accounts.map(a => `**${cell(a.summary)}**\n`),
            "| Account | Region | Resource | Name | Created | Network isolation |", "|---|---|---|---|---|---|",
            ...d.resources.map(r => `| ${codeOr(r.account)} | ${cell(r.region)} | ${nounOf(r.kind)} | ${codeOr(r.name)} | ${cell(r.time ?? "—")} | ` +
                `${ISOLATION_CELL[r.isolation]}${r.reason ? ` (${cell(r.reason)})` : ""} |`));
    }
    return out;
}
