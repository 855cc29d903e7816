/**
 * Audit evidence from AWS's own records (cli/inputs/cloudtrail.ts, cli/inputs/describe.ts): per
 * account and region, the period CloudTrail covers, the models and jobs created, each one
 * created without network isolation, the calls AWS rejected; and the current resources that
 * describe-* outputs show; and the current state AWS Config records (the newest item of each
 * resource, deleted ones apart). Notebook instances and Studio domains are counted apart, judged
 * by the rule whose types name theirs ("outside the rules"); so are Studio spaces and HyperPod
 * clusters, judged by the rule whose `records` name their kind (remote access, VPC). Endpoint
 * configurations and inference components are judged by the model isolation rule.
 *
 * Whether a record is isolated is the pack's verdict, never judged here: the isolation policy of
 * its kind reported a diagnostic on its URN (or changed it by remediation) → not isolated; that
 * policy said it does not apply, or is disabled → not judged; otherwise isolated. Nothing here
 * prints a request value: names, times, regions, event ids and caller ARNs only.
 */
import type { Evaluation } from "../engine/results";
import { RECORD_KINDS } from "../inputs/records";
import { daysWithoutLogFile } from "../inputs/trail-days";
import type { AwsRecord, ConfigItemNote, RecordSet, RejectedCall } from "../inputs/types";
import { inWords } from "../../policies/values/values";
import { diagnosticKind } from "../../policies/values/wire";
import { plural } from "./common";

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
    /**
     * Records per kind (API names: Model, TrainingJob, EndpointConfig, Space, ...), kinds with none
     * left out: the only count of endpoint configurations, inference components, Studio spaces and
     * HyperPod clusters.
     */
    byKind: Record<string, number>;
    /** Models, jobs, endpoint configurations and inference components their isolation rule found without isolation. */
    withoutIsolation: number;
    notJudged: number;
    /**
     * Notebook instances and Studio domains; those and Studio spaces and HyperPod clusters outside
     * their rule (internet access, access type, remote access, VPC).
     */
    notebooks: number;
    domains: number;
    outsideRules: number;
}

/** CloudTrail: what the records cover, and the calls AWS rejected. */
export interface Coverage {
    /** The first and last eventTime of the events read (any service). */
    first: string;
    last: string;
    rejected: number;
}

/**
 * CloudTrail, per Region: what its period rests on. "log files": a trail's files, with their days
 * (from their names), and the days between the first and the last with no file of the Region
 * (all counted, the first LISTED_DAYS named: the records of those days are incomplete). "events":
 * no trail log file (lookup-events output, single events): the period is the events' span.
 */
export interface LogFileCoverage {
    basis: "log files" | "events";
    logFiles?: { days: number; first: string; last: string; daysWithoutLogFile: number; listed: string[] };
}

export interface AccountFigures extends Figures {
    account: string;
    regions: string[];
    /** The sentence an auditor asks for, with these figures. */
    summary: string;
}

export interface Evidence {
    /**
     * The policies whose verdicts these are: the isolation policies and the rules of notebook
     * instances and Studio domains, and the rules of Studio spaces and HyperPod clusters when the
     * records hold some.
     */
    policies: string[];
    /** What the inputs leave out (a first page, keys left unprocessed): one line each. */
    incomplete: string[];
    cloudTrail?: {
        accounts: (AccountFigures & Coverage)[];
        regions: ({ account: string; region: string } & Figures & Coverage & LogFileCoverage)[];
        withoutIsolation: JudgedRecord[];
        notJudged: JudgedRecord[];
        rejected: RejectedCall[];
    };
    describe?: {
        accounts: AccountFigures[];
        resources: JudgedRecord[];
    };
    /** AWS Config: the newest item of each resource, per account and region. */
    config?: {
        regions: ({ account: string; region: string; captured: string } & Figures)[];
        /** Without network isolation, or outside the rules (notebook instances, domains). */
        exceptions: JudgedRecord[];
        notJudged: JudgedRecord[];
        /** Deleted, or not recorded: not judged. */
        gone: ConfigItemNote[];
    };
}

export const KINDS = new Map(RECORD_KINDS.map(k => [k.kind, k]));
const KIND_ORDER = new Map(RECORD_KINDS.map((k, i) => [k.kind, i]));

function judge(r: AwsRecord, v: Verdicts): JudgedRecord {
    const { policy } = KINDS.get(r.kind)!;
    if (r.update === "partial") {
        const { urn, ...rest } = r;
        return { ...rest, isolation: "not judged", reason: "an update call whose resource's earlier settings are not among the records", urn };
    }
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


/**
 * The figures of `all`: an update whose resource's create is not among the records (partial) is
 * not judged and is not counted as a resource of its kind (it was not created in the period).
 */
function figures(all: JudgedRecord[]): Figures {
    const judged = all.filter(j => j.update !== "partial");
    const byKind: Record<string, number> = {};
    for (const k of RECORD_KINDS) {
        const n = judged.filter(j => j.kind === k.kind).length;
        if (n > 0) {
            byKind[k.kind] = n;
        }
    }
    const count = (group: string, isolation?: Isolation) => judged.filter(j => KINDS.get(j.kind)!.group === group && (isolation === undefined || j.isolation === isolation)).length;
    const sum = (groups: readonly string[], isolation?: Isolation) => groups.reduce((n, g) => n + count(g, isolation), 0);
    return {
        models: count("model"), jobs: count("job"), byKind,
        withoutIsolation: sum(ISOLATED, "off"),
        notJudged: all.filter(j => j.isolation === "not judged").length,
        notebooks: count("notebook"), domains: count("domain"), outsideRules: sum(RULED, "off"),
    };
}

/** Groups judged by an isolation rule, and those judged by another rule ("outside the rules" when it finds them so). */
const ISOLATED = ["model", "job", "hosting"] as const;
export const RULED = ["notebook", "domain", "space", "cluster"] as const;

/** How many records of `f` are of these groups. */
export function inGroups(f: Figures, groups: readonly string[]): number {
    return RECORD_KINDS.filter(k => groups.includes(k.group)).reduce((n, k) => n + (f.byKind[k.kind] ?? 0), 0);
}

/** The groups of resources other than models and jobs. */
const OTHERS: readonly string[] = ["hosting", ...RULED];

/** Resources other than models and jobs. */
function othersOf(f: Figures): number {
    return inGroups(f, OTHERS);
}

/** ", 1 endpoint configuration, 1 notebook instance and 1 Studio domain" (each kind other than models and jobs), or nothing when there are none. */
function othersText(f: Figures): string {
    const parts = RECORD_KINDS.filter(k => OTHERS.includes(k.group) && f.byKind[k.kind]).map(k => plural(f.byKind[k.kind], k.noun));
    return parts.length ? `, ${inWords(parts)}` : "";
}

/** "2 models and 3 jobs (1 training job, 2 processing jobs)" */
function whatText(f: Figures): string {
    const jobs = RECORD_KINDS.filter(k => k.group === "job" && f.byKind[k.kind]).map(k => plural(f.byKind[k.kind], k.noun));
    const models = `${plural(f.models, "model")} and ${plural(f.jobs, "job")}${jobs.length ? ` (${jobs.join(", ")})` : ""}`;
    return f.models + f.jobs === 0 && othersOf(f) > 0 ? othersText(f).slice(2) : `${models}${othersText(f)}`;
}

/** What is outside the rules: "notebook instance or domain" while only those are, else every such kind. */
function outsideNoun(f: Figures, n: number): string {
    return inGroups(f, ["space", "cluster"]) === 0 ? (n === 1 ? "notebook instance or domain" : "notebook instances or domains")
        : (n === 1 ? "notebook instance, domain, space or cluster" : "notebook instances, domains, spaces or clusters");
}

function regionsText(regions: string[]): string {
    return `${regions.length === 1 ? "region" : "regions"} ${regions.join(", ")}`;
}

/** "; all with network isolation." or "; 1 without network isolation, 1 not judged (listed below)." */
function isolationText(f: Figures): string {
    if (f.models + f.jobs + othersOf(f) === 0) {
        return ".";
    }
    if (f.withoutIsolation === 0 && f.notJudged === 0 && f.outsideRules === 0) {
        return inGroups(f, RULED) === 0 ? "; all with network isolation." : "; all with network isolation and within the rules.";
    }
    const parts = [
        ...(f.withoutIsolation ? [`${f.withoutIsolation} without network isolation`] : []),
        ...(f.outsideRules ? [`${f.outsideRules} ${outsideNoun(f, f.outsideRules)} outside the rules`] : []),
        ...(f.notJudged ? [`${f.notJudged} not judged`] : []),
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

/** What the period of one Region's sets rests on (./evidence.ts LogFileCoverage). */
function logFileCoverage(ss: RecordSet[]): LogFileCoverage {
    const days = [...new Set(ss.flatMap(s => s.logDays ?? []))].sort();
    if (days.length === 0) {
        return { basis: "events" };
    }
    const { count, listed } = daysWithoutLogFile(days);
    return { basis: "log files", logFiles: { days: days.length, first: days[0], last: days[days.length - 1], daysWithoutLogFile: count, listed } };
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
        return { account, region, ...figures(judged.filter(here)), ...coverage(ss, rejected.filter(here)), ...logFileCoverage(ss) };
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

/** The records of `sets` judged, each URN once, by account, region, kind (as reports list them) and name. */
function judgedByPlace(sets: RecordSet[], verdicts: Verdicts): JudgedRecord[] {
    return [...new Map(sets.flatMap(s => s.records).map(r => [r.urn, judge(r, verdicts)])).values()]
        .sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) ||
            KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! || a.name.localeCompare(b.name));
}

function describeEvidence(sets: RecordSet[], verdicts: Verdicts): NonNullable<Evidence["describe"]> {
    const resources = judgedByPlace(sets, verdicts);
    const accounts = [...groupBy(resources, r => r.account)].map(([account, rs]) => {
        const regions = [...new Set(rs.map(r => r.region))].sort();
        const f = figures(rs);
        return { account, regions, ...f, summary: `Account ${account}: ${whatText(f)} in ${regionsText(regions)}${isolationText(f)}` };
    });
    return { accounts, resources };
}

function configEvidence(sets: RecordSet[], verdicts: Verdicts): NonNullable<Evidence["config"]> {
    const judged = judgedByPlace(sets, verdicts);
    const regions = [...groupBy(sets.filter(s => s.last !== undefined), s => `${s.account}\n${s.region}`).values()].map(ss => {
        const { account, region } = ss[0];
        const captured = ss.map(s => s.last!).reduce((a, b) => ms(b) > ms(a) ? b : a);
        return { account, region, captured, ...figures(judged.filter(j => j.account === account && j.region === region)) };
    });
    const gone = [...new Map(sets.flatMap(s => s.notes ?? []).map(x => [`${x.account}\n${x.region}\n${x.kind}\n${x.resourceId}`, x])).values()]
        .sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
    return { regions, exceptions: judged.filter(j => j.isolation === "off"), notJudged: judged.filter(j => j.isolation === "not judged"), gone };
}

/** The evidence of the records in `sets`, judged by `verdicts`; undefined when there are no records. */
export function buildEvidence(sets: readonly RecordSet[], verdicts: Verdicts): Evidence | undefined {
    if (sets.length === 0) {
        return undefined;
    }
    const trail = sets.filter(s => s.source === "cloudtrail");
    const described = sets.filter(s => s.source === "describe");
    const config = sets.filter(s => s.source === "config");
    const held = new Set(sets.flatMap(s => s.records.map(r => r.kind)));
    return {
        policies: [...new Set(RECORD_KINDS.filter(k => k.group !== "space" && k.group !== "cluster" || held.has(k.kind)).map(k => k.policy))],
        incomplete: [...new Set(sets.flatMap(s => s.incomplete ?? []))],
        ...(trail.length > 0 && { cloudTrail: cloudTrailEvidence(trail, verdicts) }),
        ...(described.length > 0 && { describe: describeEvidence(described, verdicts) }),
        ...(config.length > 0 && { config: configEvidence(config, verdicts) }),
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
