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
import type { Obj } from "../../policies/lib/values";
import { isolationRule } from "../../policies/pack";
import type { Kind } from "../../policies/workloads";
import { stackResource } from "./engine-value";
import type { AwsRecord, InputKindBase, RecordSet, RecordSource, RejectedCall, StackInput, StackResource } from "./types";

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
    /** The workload kind it declares. */
    workload: Kind;
    /** The isolation policy that judges it (the catalogue's isolation rule for its workload kind). */
    policy: string;
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
        workload: "monitoring", nameKey: "JobDefinitionName", arnKey: "JobDefinitionArn", appKey: `${prefix}AppSpecification`,
    };
}

/**
 * The kinds, in the order reports list them. Training and tuning jobs have no aws-native type:
 * they are judged as the classic shapes the pack reads (the API's members in camelCase).
 */
export const RECORD_KINDS: readonly RecordKind[] = ([
    { kind: "Model", noun: "model", group: "model", type: "aws-native:sagemaker:Model", workload: "model", nameKey: "ModelName", arnKey: "ModelArn" },
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
    { kind: "MonitoringSchedule", noun: "monitoring schedule", group: "job", type: "aws-native:sagemaker:MonitoringSchedule", workload: "monitoring", nameKey: "MonitoringScheduleName", arnKey: "MonitoringScheduleArn" },
] as KindShape[]).map(k => ({ ...k, policy: isolationRule(k.workload)?.name ?? "" }));

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
export class Collector {
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
        // A Collector's stacks hold a record per resource, in the same order.
        s.resources.forEach((res, i) => c.add(g, res, r.records[i]));
        r.rejected.forEach(x => c.reject(g, x));
    }
    const merged = c.stacks(dir);
    return [...(merged.length === 0 && others.length < stacks.length ? [noEvents(dir)] : merged), ...others];
}
