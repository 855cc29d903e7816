/**
 * AWS's own records of SageMaker models and jobs, read as resources the pack judges:
 *
 * - CloudTrail: log files as a trail delivers them (`{"Records": [...]}`), `aws cloudtrail
 *   lookup-events` output (`{"Events": [...]}`, each event a JSON string in `CloudTrailEvent`),
 *   or single events. Only successful `sagemaker.amazonaws.com` API calls that create a model,
 *   a training, tuning or processing job, a monitoring job definition or a monitoring schedule
 *   become resources, with the call's `requestParameters` (camelCase) as their properties.
 *   A call with an `errorCode` created nothing: it is kept as a rejected call.
 * - `aws sagemaker describe-*` outputs (PascalCase), turned into the same camelCase properties.
 *
 * Records are grouped into one pseudo-stack per source, account and region (stack
 * `ACCOUNT-REGION`, project `cloudtrail` or `sagemaker-describe`; a call's account is its
 * `recipientAccountId`, a describe output's that of its ARN), so the check command evaluates
 * them through the pack like any stack. A record's URN ends in its name (`NAME@EVENTID` for a
 * call: the same name can be created again). Nothing here calls AWS.
 */
import { isObj, keyIn, Obj } from "../policies/lib/values";
import { stackResource } from "./input";
import type { StackInput, StackResource } from "./input";
import { UsageError } from "./input";

/** A SageMaker resource kind that AWS's records describe, and how the pack judges it. */
export interface RecordKind {
    /** The API's name for it: `Create<kind>` creates it, `Describe<kind>` describes it. */
    kind: string;
    /** How reports name it. */
    noun: string;
    /** Counted as a model or as a job (job definitions and monitoring schedules are jobs). */
    group: "model" | "job";
    /** The resource type it is judged as (the pack's extractor for it reads the API's members). */
    type: string;
    /** The isolation policy that judges it. */
    policy: string;
    /** Its name member (PascalCase; camelCase in CloudTrail). */
    nameKey: string;
    /** The member only its describe output has. */
    arnKey: string;
    /** For monitoring job definitions: the app specification member that tells them apart. */
    appKey?: string;
}

const MODEL_POLICY = "sagemaker-model-network-isolation";
const TRAINING_POLICY = "sagemaker-training-network-isolation";
const PROCESSING_POLICY = "sagemaker-processing-network-isolation";

function jobDefinition(prefix: string, noun: string): RecordKind {
    return {
        kind: `${prefix}JobDefinition`, noun: `${noun} job definition`, group: "job", type: `aws-native:sagemaker:${prefix}JobDefinition`,
        policy: PROCESSING_POLICY, nameKey: "JobDefinitionName", arnKey: "JobDefinitionArn", appKey: `${prefix}AppSpecification`,
    };
}

/**
 * The kinds, in the order reports list them. Training and tuning jobs have no aws-native type:
 * they are judged as the classic shapes the pack reads (the API's members in camelCase).
 */
export const RECORD_KINDS: readonly RecordKind[] = [
    { kind: "Model", noun: "model", group: "model", type: "aws-native:sagemaker:Model", policy: MODEL_POLICY, nameKey: "ModelName", arnKey: "ModelArn" },
    { kind: "TrainingJob", noun: "training job", group: "job", type: "aws:sagemaker/trainingJob:TrainingJob", policy: TRAINING_POLICY, nameKey: "TrainingJobName", arnKey: "TrainingJobArn" },
    {
        kind: "HyperParameterTuningJob", noun: "hyperparameter tuning job", group: "job", type: "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob",
        policy: TRAINING_POLICY, nameKey: "HyperParameterTuningJobName", arnKey: "HyperParameterTuningJobArn",
    },
    { kind: "ProcessingJob", noun: "processing job", group: "job", type: "aws-native:sagemaker:ProcessingJob", policy: PROCESSING_POLICY, nameKey: "ProcessingJobName", arnKey: "ProcessingJobArn" },
    jobDefinition("DataQuality", "data quality"),
    jobDefinition("ModelQuality", "model quality"),
    jobDefinition("ModelBias", "model bias"),
    jobDefinition("ModelExplainability", "model explainability"),
    { kind: "MonitoringSchedule", noun: "monitoring schedule", group: "job", type: "aws-native:sagemaker:MonitoringSchedule", policy: PROCESSING_POLICY, nameKey: "MonitoringScheduleName", arnKey: "MonitoringScheduleArn" },
];

const KIND_BY_CREATE = new Map(RECORD_KINDS.map(k => [`Create${k.kind}`, k]));

const SAGEMAKER_SOURCE = "sagemaker.amazonaws.com";

export type RecordSource = "cloudtrail" | "describe";

/** A record that became a resource: what the evidence says about it besides the pack's verdict. */
export interface AwsRecord {
    urn: string;
    kind: string;
    /** The resource's name as AWS knows it ("" if the record does not say). */
    name: string;
    account: string;
    region: string;
    /** CloudTrail: the call's eventTime. describe: CreationTime, if given. */
    time?: string;
    /** CloudTrail only: the call's eventID and its caller (userIdentity.arn, or the calling service). */
    eventId?: string;
    caller?: string;
}

/** A create call AWS refused (the event has an errorCode): nothing was created. */
export interface RejectedCall {
    account: string;
    region: string;
    time: string;
    eventId: string;
    eventName: string;
    errorCode: string;
    caller: string;
}

/** The records of one source, account and region (a pseudo-stack's `records`). */
export interface RecordSet {
    source: RecordSource;
    account: string;
    region: string;
    /** CloudTrail: the first and last eventTime of all events read (any service). */
    first?: string;
    last?: string;
    records: AwsRecord[];
    rejected: RejectedCall[];
}

// ---------------------------------------------------------------------------------------------
// shapes

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** An API member name as Pulumi's and CloudTrail's camelCase spell it. */
const camel = (key: string) => keyIn("camel", key);

/** Members whose values are maps with the user's own keys (environment variables, hyperparameters). */
const MAP_MEMBERS = new Set(["Environment", "HyperParameters", "StaticHyperParameters", "CollectionParameters", "RuleParameters", "ProfilingParameters"]);

/** An API shape's PascalCase member names in camelCase, as aws-native and CloudTrail spell them; map keys kept. */
export function camelCased(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(camelCased);
    }
    if (!isObj(v)) {
        return v;
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
        out[camel(k)] = MAP_MEMBERS.has(k) && isObj(x) ? { ...x } : camelCased(x);
    }
    return out;
}

/** The kind of a describe output, by the ARN member only that output has. */
function describedKind(doc: unknown): RecordKind | undefined {
    if (!isObj(doc)) {
        return undefined;
    }
    return RECORD_KINDS.find(k => typeof doc[k.arnKey] === "string" && typeof doc[k.nameKey] === "string" && (k.appKey === undefined || isObj(doc[k.appKey])));
}

type Shape = "trail" | "lookup" | "event" | "describe";

function shapeOf(v: unknown): Shape | undefined {
    if (!isObj(v)) {
        return undefined;
    }
    if (Array.isArray(v["Records"])) {
        return "trail";
    }
    if (Array.isArray(v["Events"])) {
        return "lookup";
    }
    if (typeof v["eventSource"] === "string" && typeof v["eventName"] === "string") {
        return "event";
    }
    return describedKind(v) ? "describe" : undefined;
}

/** `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` → region and account. */
function arnParts(arn: string): { region: string; account: string } | undefined {
    const p = arn.split(":");
    return p.length >= 6 && p[0] === "arn" && p[3] !== "" && /^\d{12}$/.test(p[4]) ? { region: p[3], account: p[4] } : undefined;
}

/** A timestamp as the CLI prints it (ISO 8601), or epoch seconds as the API returns it. */
function timestamp(v: unknown): string | undefined {
    if (typeof v === "number" && Number.isFinite(v)) {
        return new Date(v * 1000).toISOString();
    }
    return str(v);
}

function callerOf(identity: unknown): string {
    if (!isObj(identity)) {
        return "unknown";
    }
    return str(identity["arn"]) ?? (str(identity["invokedBy"]) ? `service ${str(identity["invokedBy"])}` : str(identity["type"]) ?? "unknown");
}

// ---------------------------------------------------------------------------------------------
// pseudo-stacks

const PROJECTS: Record<RecordSource, string> = { cloudtrail: "cloudtrail", describe: "sagemaker-describe" };

interface Group {
    set: RecordSet;
    resources: StackResource[];
    urns: Set<string>;
    eventIds: Set<string>;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
    return a === undefined ? b : b === undefined ? a : Date.parse(b) < Date.parse(a) ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
    return a === undefined ? b : b === undefined ? a : Date.parse(b) > Date.parse(a) ? b : a;
}

/** Collects records into one pseudo-stack per source, account and region. */
class Collector {
    private readonly groups = new Map<string, Group>();

    group(source: RecordSource, account: string, region: string): Group {
        const key = `${source}\n${account}\n${region}`;
        let g = this.groups.get(key);
        if (!g) {
            this.groups.set(key, g = { set: { source, account, region, records: [], rejected: [] }, resources: [], urns: new Set(), eventIds: new Set() });
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

    reject(g: Group, call: RejectedCall): void {
        if (!g.eventIds.has(call.eventId)) {
            g.eventIds.add(call.eventId);
            g.set.rejected.push(call);
        }
    }

    /** One stack per group, ordered by source, account and region. */
    stacks(file: string): StackInput[] {
        return [...this.groups.values()]
            .sort((a, b) => a.set.source.localeCompare(b.set.source) || a.set.account.localeCompare(b.set.account) || a.set.region.localeCompare(b.set.region))
            .map(g => ({
                file, source: g.set.source, stack: stackName(g.set), project: PROJECTS[g.set.source],
                resources: g.resources, records: g.set,
            }));
    }
}

function stackName(s: { account: string; region: string }): string {
    return s.account === "" && s.region === "" ? "no-events" : `${s.account || "unknown"}-${s.region || "unknown"}`;
}

function recordResource(set: { account: string; region: string }, source: RecordSource, kind: RecordKind, name: string, props: Obj): StackResource {
    const urn = `urn:pulumi:${stackName(set)}::${PROJECTS[source]}::${kind.type}::${name}`;
    return stackResource({ urn, type: kind.type, name, inputs: props, outputs: props, dependencies: [], propertyDependencies: {}, external: false });
}

// ---------------------------------------------------------------------------------------------
// CloudTrail

/** A path inside a file for messages: `Records[3]`, `[2].ModelArn`, `value 2: Events[0]`. */
function join(base: string, sub: string): string {
    return base === "" ? sub : base.startsWith("[") ? `${base}.${sub}` : `${base}: ${sub}`;
}

function cloudTrailEvent(file: string, where: string, ev: unknown, c: Collector): void {
    if (!isObj(ev)) {
        throw new UsageError(`${file}: ${where} is not a CloudTrail event`);
    }
    const region = str(ev["awsRegion"]);
    const identity = ev["userIdentity"];
    const account = str(ev["recipientAccountId"]) ?? (isObj(identity) ? str(identity["accountId"]) : undefined) ?? "";
    const time = str(ev["eventTime"]);
    const timed = time !== undefined && !Number.isNaN(Date.parse(time));
    const kind = ev["eventSource"] === SAGEMAKER_SOURCE && typeof ev["eventName"] === "string" ? KIND_BY_CREATE.get(ev["eventName"]) : undefined;
    // AwsServiceEvent entries are SageMaker's own actions (e.g. a tuning job's training jobs), not calls.
    if (kind === undefined || (ev["eventType"] !== undefined && ev["eventType"] !== "AwsApiCall")) {
        if (region !== undefined && timed) {
            c.cover(c.group("cloudtrail", account, region), time, time);
        }
        return;
    }
    const eventName = `Create${kind.kind}`;
    const eventId = str(ev["eventID"]);
    if (eventId === undefined || !timed || region === undefined) {
        throw new UsageError(`${file}: ${where} (${eventName}) has no ${eventId === undefined ? "eventID" : !timed ? "valid eventTime" : "awsRegion"}`);
    }
    const g = c.group("cloudtrail", account, region);
    c.cover(g, time, time);
    const caller = callerOf(identity);
    const errorCode = str(ev["errorCode"]);
    if (errorCode !== undefined) {
        c.reject(g, { account, region, time, eventId, eventName, errorCode, caller });
        return;
    }
    const params = ev["requestParameters"];
    if (!isObj(params)) {
        throw new UsageError(`${file}: ${where} (${eventName} ${eventId}) has no requestParameters, so what it created cannot be checked`);
    }
    const name = str(params[camel(kind.nameKey)]) ?? "";
    const resource = recordResource(g.set, "cloudtrail", kind, name ? `${name}@${eventId}` : eventId, params);
    c.add(g, resource, { urn: resource.urn, kind: kind.kind, name, account, region, time, eventId, caller });
}

function lookupEvents(file: string, where: string, doc: Obj, c: Collector): void {
    (doc["Events"] as unknown[]).forEach((e, i) => {
        const at = join(where, `Events[${i}]`);
        const text = isObj(e) ? e["CloudTrailEvent"] : undefined;
        if (typeof text !== "string") {
            throw new UsageError(`${file}: ${at} has no CloudTrailEvent`);
        }
        let ev: unknown;
        try {
            ev = JSON.parse(text);
        } catch (err) {
            throw new UsageError(`${file}: ${at}.CloudTrailEvent is not valid JSON (${(err as Error).message.split("\n")[0]})`);
        }
        cloudTrailEvent(file, `${at}.CloudTrailEvent`, ev, c);
    });
}

// ---------------------------------------------------------------------------------------------
// describe-* outputs

function describeOutput(file: string, where: string, doc: Obj, c: Collector): void {
    const kind = describedKind(doc)!;
    const arn = doc[kind.arnKey] as string;
    const parts = arnParts(arn);
    if (!parts) {
        throw new UsageError(`${file}: ${join(where, kind.arnKey)} is not an ARN with a region and an account`);
    }
    const name = str(doc[kind.nameKey]) ?? arn.slice(arn.indexOf("/") + 1);
    const g = c.group("describe", parts.account, parts.region);
    const resource = recordResource(g.set, "describe", kind, name, camelCased(doc) as Obj);
    c.add(g, resource, { urn: resource.urn, kind: kind.kind, name, account: parts.account, region: parts.region, time: timestamp(doc["CreationTime"]) });
}

// ---------------------------------------------------------------------------------------------
// files

const NOT_RECORDS = "is not a CloudTrail log or event, `aws cloudtrail lookup-events` output or `aws sagemaker describe-*` output " +
    "of a model, job, monitoring job definition or monitoring schedule";

/** The pseudo-stack of records that hold no event at all (an empty log, a lookup that found nothing). */
function noEvents(file: string): StackInput {
    return {
        file, source: "cloudtrail", stack: "no-events", project: PROJECTS.cloudtrail, resources: [],
        records: { source: "cloudtrail", account: "", region: "", records: [], rejected: [] },
    };
}

/**
 * The pseudo-stacks of AWS records in a file's JSON values (one document, or a sequence of them
 * as in JSON Lines); undefined if the file holds no AWS records at all. A file that holds some
 * but also something else is an error naming the value.
 */
export function recordStacks(file: string, docs: unknown[]): StackInput[] | undefined {
    const items = docs.length === 1 && Array.isArray(docs[0]) ? docs[0] : docs;
    if (!items.some(x => shapeOf(x) !== undefined)) {
        return undefined;
    }
    const c = new Collector();
    items.forEach((x, i) => {
        const where = items !== docs ? `[${i}]` : docs.length > 1 ? `value ${i + 1}` : "";
        switch (shapeOf(x)) {
            case "trail":
                ((x as Obj)["Records"] as unknown[]).forEach((ev, j) => cloudTrailEvent(file, join(where, `Records[${j}]`), ev, c));
                break;
            case "lookup":
                lookupEvents(file, where, x as Obj, c);
                break;
            case "event":
                cloudTrailEvent(file, where || "the event", x, c);
                break;
            case "describe":
                describeOutput(file, where, x as Obj, c);
                break;
            default:
                throw new UsageError(`${file}: ${where || "the document"} ${NOT_RECORDS}`);
        }
    });
    const stacks = c.stacks(file);
    return stacks.length > 0 ? stacks : [noEvents(file)];
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
        // A Collector's stacks hold a record per resource, in the same order.
        s.resources.forEach((res, i) => c.add(g, res, r.records[i]));
        r.rejected.forEach(x => c.reject(g, x));
    }
    const merged = c.stacks(dir);
    return [...(merged.length === 0 && others.length < stacks.length ? [noEvents(dir)] : merged), ...others];
}
