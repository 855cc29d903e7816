/**
 * AWS's own records of SageMaker models and jobs, read as resources the pack judges: what the
 * CloudTrail (cli/inputs/cloudtrail.ts) and `aws sagemaker describe-*` (cli/inputs/describe.ts)
 * kinds share.
 *
 * Records are grouped into one pseudo-stack per source, account and region (stack
 * `ACCOUNT-REGION`, project `cloudtrail` or `sagemaker-describe`; a call's account is its
 * `recipientAccountId`, a describe output's that of its ARN), so the check command evaluates
 * them through the pack like any stack. A record's URN ends in its name (`NAME@EVENTID` for a
 * call: the same name can be created again). Nothing here calls AWS.
 */
import { isDeepStrictEqual } from "util";
import type { Obj } from "../../policies/values/values";
import { isolationRule, typeRule } from "../../policies/catalogue/index";
import type { Kind } from "../../policies/workloads";
import { stackResource } from "./engine-value";
import type { AwsRecord, ConfigItemNote, InputKindBase, RecordSet, RecordSource, RejectedCall, StackInput, StackResource } from "./types";

/** A SageMaker resource kind that AWS's records describe, and how the pack judges it. */
export interface RecordKind {
    /** The API's name for it: `Create<kind>` creates it, `Describe<kind>` describes it. */
    kind: string;
    /** How reports name it. */
    noun: string;
    /** Counted as a model, a job (job definitions and monitoring schedules are jobs), a notebook instance or a domain. */
    group: "model" | "job" | "notebook" | "domain";
    /** The resource type it is judged as (the pack's extractor for it reads the API's members). */
    type: string;
    /** The workload kind it declares; none for kinds judged by the rule whose `types` subject includes `type`. */
    workload?: Kind;
    /**
     * The policy that judges it: the catalogue's isolation rule for its workload kind, or the rule
     * whose subject names its type (notebook instances, Studio domains).
     */
    policy: string;
    /** `Update<kind>` calls change it: CloudTrail records them as its latest known settings. */
    updatable?: boolean;
    /** The member that names it in an Update call, when not its name (a domain's DomainId); the ARN's last segment then. */
    idKey?: string;
    /** Describe output members whose property has another name in the judged type (PascalCase → camelCase property). */
    renames?: Readonly<Record<string, string>>;
    /** AWS Config records it (`AWS::SageMaker::<kind>`). */
    config?: boolean;
    /** Its name member (PascalCase; camelCase in CloudTrail). */
    nameKey: string;
    /** The member only its describe output has. */
    arnKey: string;
    /** For monitoring job definitions: the app specification member that tells them apart. */
    appKey?: string;
}

type KindShape = Omit<RecordKind, "policy">;

function jobDefinition(prefix: string, noun: string): KindShape {
    return {
        kind: `${prefix}JobDefinition`, noun: `${noun} job definition`, group: "job", type: `aws-native:sagemaker:${prefix}JobDefinition`,
        workload: "monitoring", nameKey: "JobDefinitionName", arnKey: "JobDefinitionArn", appKey: `${prefix}AppSpecification`, config: true,
    };
}

/**
 * The kinds, in the order reports list them. Training and tuning jobs have no aws-native type:
 * they are judged as the classic shapes the pack reads (the API's members in camelCase).
 */
export const RECORD_KINDS: readonly RecordKind[] = ([
    { kind: "Model", noun: "model", group: "model", type: "aws-native:sagemaker:Model", workload: "model", nameKey: "ModelName", arnKey: "ModelArn", config: true },
    { kind: "TrainingJob", noun: "training job", group: "job", type: "aws:sagemaker/trainingJob:TrainingJob", workload: "training", nameKey: "TrainingJobName", arnKey: "TrainingJobArn" },
    {
        kind: "HyperParameterTuningJob", noun: "hyperparameter tuning job", group: "job", type: "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob",
        workload: "tuning", nameKey: "HyperParameterTuningJobName", arnKey: "HyperParameterTuningJobArn",
    },
    { kind: "ProcessingJob", noun: "processing job", group: "job", type: "aws-native:sagemaker:ProcessingJob", workload: "processing", nameKey: "ProcessingJobName", arnKey: "ProcessingJobArn" },
    jobDefinition("DataQuality", "data quality"),
    jobDefinition("ModelQuality", "model quality"),
    jobDefinition("ModelBias", "model bias"),
    jobDefinition("ModelExplainability", "model explainability"),
    {
        kind: "MonitoringSchedule", noun: "monitoring schedule", group: "job", type: "aws-native:sagemaker:MonitoringSchedule", workload: "monitoring",
        nameKey: "MonitoringScheduleName", arnKey: "MonitoringScheduleArn", config: true,
    },
    // DescribeNotebookInstance names the groups SecurityGroups; CreateNotebookInstance and aws-native SecurityGroupIds.
    {
        kind: "NotebookInstance", noun: "notebook instance", group: "notebook", type: "aws-native:sagemaker:NotebookInstance", nameKey: "NotebookInstanceName",
        arnKey: "NotebookInstanceArn", updatable: true, renames: { SecurityGroups: "securityGroupIds" }, config: true,
    },
    { kind: "Domain", noun: "Studio domain", group: "domain", type: "aws-native:sagemaker:Domain", nameKey: "DomainName", arnKey: "DomainArn", updatable: true, idKey: "DomainId", config: true },
] as KindShape[]).map(k => ({ ...k, policy: (k.workload ? isolationRule(k.workload) : typeRule(k.type))?.name ?? "" }));

/** AWS records: JSON values (a file's document, the elements of its top-level array, or its JSON Lines). */
export interface AwsRecordsKind extends InputKindBase {
    form: "records";
    /** Whether a value is of this kind. */
    detect(value: unknown): boolean;
    /** Reads a value of this kind, `where` in the file ("" for the whole document), into `into`. */
    read(file: string, where: string, value: Obj, into: Collector): void;
}

// ---------------------------------------------------------------------------------------------
// helpers

export function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** A path inside a file for messages: `Records[3]`, `[2].ModelArn`, `value 2: Events[0]`. */
export function join(base: string, sub: string): string {
    return base === "" ? sub : base.startsWith("[") ? `${base}.${sub}` : `${base}: ${sub}`;
}

// ---------------------------------------------------------------------------------------------
// pseudo-stacks

const PROJECTS: Record<RecordSource, string> = { cloudtrail: "cloudtrail", describe: "sagemaker-describe", config: "aws-config" };

interface Group {
    set: RecordSet;
    resources: StackResource[];
    urns: Set<string>;
    eventIds: Set<string>;
    /** The inputs it was read from, when merged from several (acrossInputs). */
    files: string[];
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
    return a === undefined ? b : b === undefined ? a : Date.parse(b) < Date.parse(a) ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
    return a === undefined ? b : b === undefined ? a : Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * What a CloudTrail event says, to tell a repeated event (one eventID read twice: identical)
 * from a conflicting one: a created resource's kind and request parameters, or a rejected
 * call's name and error code, with the account, region, time and caller.
 */
export type EventContents = [string, string, string, string | undefined, string | undefined, unknown];

export function createdContents(r: AwsRecord, params: unknown): EventContents {
    return [r.kind, r.account, r.region, r.time, r.caller, params];
}

export function rejectedContents(x: RejectedCall): EventContents {
    return [x.eventName, x.account, x.region, x.time, x.caller, x.errorCode];
}

/**
 * CloudTrail events by eventID, whatever file or input they come from: the first of each is
 * kept; a repeat is dropped, silently when identical, else noted for a warning naming its file
 * and eventID (never a value).
 */
export class EventLedger {
    private readonly seen = new Map<string, EventContents>();
    /** File → eventIDs read there again with other contents. */
    private readonly conflicts = new Map<string, Set<string>>();

    /** Whether this is the first event with `eventId` (to keep). */
    first(file: string, eventId: string, contents: EventContents): boolean {
        const before = this.seen.get(eventId);
        if (before === undefined) {
            this.seen.set(eventId, contents);
            return true;
        }
        if (!isDeepStrictEqual(before, contents)) {
            let ids = this.conflicts.get(file);
            if (!ids) {
                this.conflicts.set(file, ids = new Set());
            }
            ids.add(eventId);
        }
        return false;
    }

    /** The warning about `file`'s conflicting events, if it has any (one line). */
    warning(file: string): string | undefined {
        const ids = [...this.conflicts.get(file) ?? []];
        if (ids.length === 0) {
            return undefined;
        }
        const named = ids.slice(0, 5).join(", ") + (ids.length > 5 ? `, and ${ids.length - 5} more` : "");
        return `${file}: ${ids.length} CloudTrail event(s) with an eventID read before but different contents (${named}); ` +
            "only the first of each is evaluated";
    }
}

/** Adds `file`'s warning from `ledger` (if any) to the first of `stacks` read from that file. */
function warnAbout(ledger: EventLedger, file: string, stacks: StackInput[]): void {
    const w = ledger.warning(file);
    const s = stacks.find(x => x.file === file);
    if (w !== undefined && s) {
        s.warnings = [...s.warnings ?? [], w];
    }
}

/** Collects records into one pseudo-stack per source, account and region. */
export class Collector {
    private readonly groups = new Map<string, Group>();
    /** The CloudTrail events read, by eventID. */
    readonly events = new EventLedger();
    /** The AWS Config notes kept (account, region, kind, resource id and capture time). */
    private readonly noted = new Set<string>();

    group(source: RecordSource, account: string, region: string): Group {
        const key = `${source}\n${account}\n${region}`;
        let g = this.groups.get(key);
        if (!g) {
            this.groups.set(key, g = { set: { source, account, region, records: [], rejected: [] }, resources: [], urns: new Set(), eventIds: new Set(), files: [] });
        }
        return g;
    }

    cover(g: Group, first: string | undefined, last: string | undefined): void {
        g.set.first = earlier(g.set.first, first);
        g.set.last = later(g.set.last, last);
    }

    /** A record and its resource; the same record read twice (same URN) counts once. */
    add(g: Group, resource: StackResource, record: AwsRecord): void {
        if (!g.urns.has(resource.urn)) {
            g.urns.add(resource.urn);
            g.resources.push(resource);
            g.set.records.push(record);
        }
    }

    /** An AWS Config item that is not judged (deleted, not recorded); the same item read twice counts once. */
    note(g: Group, item: ConfigItemNote): void {
        const key = `${g.set.account}\n${g.set.region}\n${item.kind}\n${item.resourceId}\n${item.time ?? ""}`;
        if (!this.noted.has(key)) {
            this.noted.add(key);
            (g.set.notes ??= []).push(item);
        }
    }

    reject(g: Group, call: RejectedCall): void {
        if (!g.eventIds.has(call.eventId)) {
            g.eventIds.add(call.eventId);
            g.set.rejected.push(call);
        }
    }

    /**
     * One stack per group, ordered by source, account and region, read from `file` (or from the
     * files its group was merged from); the first warns about conflicting events.
     */
    stacks(file: string): StackInput[] {
        const stacks: StackInput[] = [...this.groups.values()]
            .sort((a, b) => a.set.source.localeCompare(b.set.source) || a.set.account.localeCompare(b.set.account) || a.set.region.localeCompare(b.set.region))
            .map(g => ({
                file: g.files[0] ?? file, ...(g.files.length > 1 && { sources: g.files }),
                source: g.set.source, stack: stackName(g.set), project: PROJECTS[g.set.source],
                resources: g.resources, records: g.set,
            }));
        warnAbout(this.events, file, stacks);
        return stacks;
    }
}

function stackName(s: { account: string; region: string }): string {
    return s.account === "" && s.region === "" ? "no-events" : `${s.account || "unknown"}-${s.region || "unknown"}`;
}

export function recordResource(set: { account: string; region: string }, source: RecordSource, kind: RecordKind, name: string, props: Obj): StackResource {
    const urn = `urn:pulumi:${stackName(set)}::${PROJECTS[source]}::${kind.type}::${name}`;
    return stackResource({ urn, type: kind.type, name, inputs: props, outputs: props, dependencies: [], propertyDependencies: {}, external: false });
}

/** The pseudo-stack of records that hold no event at all (an empty log, a lookup that found nothing). */
export function noEvents(file: string): StackInput {
    return {
        file, source: "cloudtrail", stack: "no-events", project: PROJECTS.cloudtrail, resources: [],
        records: { source: "cloudtrail", account: "", region: "", records: [], rejected: [] },
    };
}

/**
 * The stacks of a folder's files: the files' record pseudo-stacks merged into one per source,
 * account and region (a trail delivers a file per region every few minutes), named after the
 * folder; other stacks (stack exports, previews) as they are.
 */
export function mergeRecordStacks(dir: string, stacks: StackInput[]): StackInput[] {
    const c = new Collector();
    const others = stacks.filter(s => !s.records);
    for (const s of stacks) {
        const r = s.records;
        if (!r || (r.account === "" && r.region === "")) {
            continue;
        }
        const g = c.group(r.source, r.account, r.region);
        c.cover(g, r.first, r.last);
        const kept = once(c.events, dir, s);
        kept.resources.forEach((res, i) => c.add(g, res, kept.records[i]));
        kept.rejected.forEach(x => c.reject(g, x));
        r.notes?.forEach(x => c.note(g, x));
    }
    const merged = c.stacks(dir);
    const out = [...(merged.length === 0 && others.length < stacks.length ? [noEvents(dir)] : merged), ...others];
    // The files' own warnings (events repeated within one file), on the folder's first stack.
    const warnings = stacks.filter(s => s.records).flatMap(s => s.warnings ?? []);
    if (warnings.length > 0) {
        out[0].warnings = [...warnings, ...out[0].warnings ?? []];
    }
    return out;
}

/**
 * The `describe-*` pseudo-stacks of several inputs (files or folders) merged into one per
 * account and region, with the inputs as its sources and each resource's file kept: the
 * collection loop in the README writes six files per region, which make one stack, so its
 * scores and evidence are those of the region, not of each file. A resource described in two
 * inputs (the same URN) counts once, as within a folder. A merged stack takes the place of its
 * first input's; other stacks stay as they are.
 */
function mergeDescribed(stacks: StackInput[]): StackInput[] {
    const c = new Collector();
    const described = stacks.filter(s => s.records?.source === "describe");
    for (const s of described) {
        const r = s.records!;
        const g = c.group(r.source, r.account, r.region);
        if (!g.files.includes(s.file)) {
            g.files.push(s.file);
        }
        s.resources.forEach((res, i) => c.add(g, res.file === undefined ? { ...res, file: s.file } : res, r.records[i]));
    }
    const key = (r: RecordSet) => `${r.account}\n${r.region}`;
    const merged = new Map(c.stacks("").map(m => [key(m.records!), m]));
    const emitted = new Set<StackInput>();
    const out: StackInput[] = [];
    for (const s of stacks) {
        const m = s.records?.source === "describe" ? merged.get(key(s.records)) : undefined;
        if (!m) {
            out.push(s);
        } else if (!emitted.has(m)) {
            // In the place of the first input of its account and region, with every input's warnings.
            emitted.add(m);
            const warnings = described.filter(d => key(d.records!) === key(m.records!)).flatMap(d => d.warnings ?? []);
            out.push(m.sources === undefined ? s : { ...m, ...(warnings.length > 0 && { warnings }) });
        }
    }
    return out;
}

/**
 * What the check command reads from all its inputs: each CloudTrail event once (eachEventOnce)
 * and one stack per account and region of `describe-*` outputs (mergeDescribed).
 */
export function acrossInputs(stacks: StackInput[]): StackInput[] {
    return mergeDescribed(eachEventOnce(stacks));
}

/**
 * A record stack's resources, records and rejected calls whose CloudTrail events `ledger` has
 * not seen before (each then recorded as seen from `file`). A Collector's stacks hold a record
 * per resource, in the same order; describe records (no eventID) are all kept.
 */
function once(ledger: EventLedger, file: string, s: StackInput): { resources: StackResource[]; records: AwsRecord[]; rejected: RejectedCall[] } {
    const r = s.records!;
    const keep = s.resources.map((res, i) => {
        const rec = r.records[i];
        return rec.eventId === undefined || ledger.first(file, rec.eventId, createdContents(rec, res.inputs));
    });
    return {
        resources: s.resources.filter((_, i) => keep[i]),
        records: r.records.filter((_, i) => keep[i]),
        rejected: r.rejected.filter(x => ledger.first(file, x.eventId, rejectedContents(x))),
    };
}

/**
 * The inputs' stacks with each CloudTrail event once over all of them (the same trail given as
 * a folder and as lookup-events output, say): a later input's repeat of an event is dropped
 * before the pack evaluates it, so every count (evidence, findings, summary) holds it once. An
 * input whose repeat differs from the first gets a warning naming the eventID.
 */
export function eachEventOnce(stacks: StackInput[]): StackInput[] {
    const ledger = new EventLedger();
    const out = stacks.map(s => {
        if (s.records?.source !== "cloudtrail") {
            return s;
        }
        const { resources, records, rejected } = once(ledger, s.file, s);
        return resources.length === s.resources.length && rejected.length === s.records.rejected.length ? s
            : { ...s, resources, records: { ...s.records, records, rejected } };
    });
    new Set(out.map(s => s.file)).forEach(file => warnAbout(ledger, file, out));
    return out;
}

const KIND_OF = new Map(RECORD_KINDS.map(k => [k.kind, k]));

/**
 * CloudTrail Update calls as the resource's latest known settings, over all inputs (after
 * eachEventOnce): a resource's calls (same account, region, kind, and name or id), in eventTime
 * order, from its latest Create, each Update's parameters replacing the members it names. The
 * resource is judged once, on the settings after its last call (that call's URN and time); its
 * earlier calls are not judged apart. An Update with no earlier Create read is kept as a record
 * "partial" and not judged: its other settings (the defaults a policy would assume) are unknown.
 */
export function latestSettings(stacks: StackInput[]): StackInput[] {
    interface Call { s: number; i: number; t: number }
    const calls = new Map<string, Call[]>();
    stacks.forEach((st, s) => {
        if (st.records?.source !== "cloudtrail") {
            return;
        }
        st.records.records.forEach((rec, i) => {
            if (KIND_OF.get(rec.kind)?.updatable) {
                const key = `${rec.account}\n${rec.region}\n${rec.kind}\n${rec.resourceId ?? rec.name}`;
                let list = calls.get(key);
                if (!list) {
                    calls.set(key, list = []);
                }
                list.push({ s, i, t: Date.parse(rec.time ?? "") || 0 });
            }
        });
    });
    /** Per stack: record index → its replacement (undefined: dropped). */
    const changed = stacks.map(() => new Map<number, { record: AwsRecord; resource?: StackResource } | undefined>());
    for (const list of calls.values()) {
        const at = (x: Call) => ({ record: stacks[x.s].records!.records[x.i], resource: stacks[x.s].resources[x.i] });
        if (!list.some(x => at(x).record.update)) {
            continue;
        }
        list.sort((a, b) => a.t - b.t);
        let settings: Obj | undefined;
        let created: AwsRecord | undefined;
        for (const x of list) {
            const { record, resource } = at(x);
            [settings, created] = record.update ? [settings && { ...settings, ...resource.inputs }, created] : [{ ...resource.inputs }, record];
            changed[x.s].set(x.i, undefined);
        }
        const last = list[list.length - 1];
        const { record, resource } = at(last);
        if (record.update) {
            const set = stacks[last.s].records!;
            const name = created?.name || record.name;
            changed[last.s].set(last.i, settings
                ? { record: { ...record, name, update: "latest" }, resource: recordResource(set, "cloudtrail", KIND_OF.get(record.kind)!, resource.name, settings) }
                : { record: { ...record, update: "partial" } });
        } else {
            changed[last.s].set(last.i, { record, resource });
        }
    }
    return stacks.map((st, s) => {
        const m = changed[s];
        if (m.size === 0) {
            return st;
        }
        const kept = st.records!.records.map((record, i) => m.has(i) ? m.get(i) : { record, resource: st.resources[i] }).filter(x => x !== undefined);
        return {
            ...st, resources: kept.flatMap(x => x.resource ? [x.resource] : []),
            records: { ...st.records!, records: kept.map(x => x.record) },
        };
    });
}
