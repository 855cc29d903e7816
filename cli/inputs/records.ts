/**
 * AWS's own records of SageMaker models and jobs, read as resources the pack judges: what the
 * CloudTrail (cli/inputs/cloudtrail.ts) and `aws sagemaker describe-*` (cli/inputs/describe.ts)
 * kinds share.
 *
 * Records are grouped into one pseudo-stack per source, account and region (stack
 * `ACCOUNT-REGION`, project `cloudtrail` or `sagemaker-describe`; a call's account is its
 * `recipientAccountId`, a describe output's that of its ARN), so the check command evaluates
 * them through the pack like any stack. A record's logical name is the resource's name as AWS
 * knows it, so an exemption written for a program's resource matches it in every source; a
 * CloudTrail call's URN also holds its eventID (its type's parent segment, `cloudtrail:event:ID$`):
 * the same name can be created again. Nothing here calls AWS. The Collector (./collector.ts)
 * groups records while reading; ./merge.ts merges them over inputs; ./lifecycle.ts follows a
 * resource's calls.
 */
import { isObj, Obj } from "../../policies/values/values";
import { recordsRule, typeRule } from "../../policies/catalogue/index";
import type { Kind } from "../../policies/workloads";
import { stackResource } from "./engine-value";
import type { RecordSource, StackInput, StackResource } from "./types";

/** A SageMaker resource kind that AWS's records describe, and how the pack judges it. */
export interface RecordKind {
    /** The API's name for it: `Create<kind>` creates it, `Describe<kind>` describes it. */
    kind: string;
    /** How reports name it. */
    noun: string;
    /**
     * Counted as a model, a job (job definitions and monitoring schedules are jobs), a hosting
     * resource (endpoint configurations and inference components: judged by the model isolation
     * rule), a notebook instance, a domain, a Studio space or a HyperPod cluster.
     */
    group: "model" | "job" | "hosting" | "notebook" | "domain" | "space" | "cluster";
    /** The resource type it is judged as (the pack's extractor for it reads the API's members). */
    type: string;
    /** The workload kind it declares; none for kinds judged by the rule whose `types` subject includes `type`. */
    workload?: Kind;
    /**
     * The policy that judges it: the catalogue's records rule for its workload kind (its isolation
     * rule, or for Studio spaces and HyperPod clusters the rule whose `records` name the kind), or
     * the rule whose subject names its type and says `records` (notebook instances, Studio domains).
     */
    policy: string;
    /** `Update<kind>` calls change it: CloudTrail records them as its latest known settings. */
    updatable?: boolean;
    /** The member that names it in an Update call, when not its name (a domain's DomainId); the ARN's last segment then. */
    idKey?: string;
    /** Describe output members whose property has another name in the judged type (PascalCase → camelCase property). */
    renames?: Readonly<Record<string, string>>;
    /**
     * Members of a list property's items (camelCase) whose name differs in the judged type: the
     * API's `EnableSSMAccess` on an endpoint configuration's variants is aws-native's
     * `enableSsmAccess`. Applied to every source (renamedItems), on those items only.
     */
    itemRenames?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** AWS Config records it (`AWS::SageMaker::<kind>`). */
    config?: boolean;
    /**
     * Members AWS Config's items of it do not record (PascalCase): an item without one carries
     * UNRECORDED_STRING there (../../policies/values/values.ts), which the pack reads as a note
     * naming AWS Config, never as not set.
     */
    configLacks?: readonly string[];
    /** Its name member (PascalCase; camelCase in CloudTrail). */
    nameKey: string;
    /** The member only its describe output has. */
    arnKey: string;
    /** For monitoring job definitions: the app specification member that tells them apart. */
    appKey?: string;
}

type KindShape = Omit<RecordKind, "policy">;

/** The API's spelling of SSM access on a variant, and aws-native's. */
const SSM = { enableSSMAccess: "enableSsmAccess" };

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
    // Hosting resources and the resources of docs/audit.md's "Kinds AWS Config does not record":
    // of these, AWS Config records only AWS::SageMaker::EndpointConfig.
    {
        kind: "EndpointConfig", noun: "endpoint configuration", group: "hosting", type: "aws-native:sagemaker:EndpointConfig", workload: "endpoint",
        nameKey: "EndpointConfigName", arnKey: "EndpointConfigArn", itemRenames: { productionVariants: SSM, shadowProductionVariants: SSM }, config: true,
        // AWS Config's resource schema of AWS::SageMaker::EndpointConfig (awslabs/aws-config-resource-schema) has neither.
        configLacks: ["EnableNetworkIsolation", "ShadowProductionVariants"],
    },
    {
        kind: "InferenceComponent", noun: "inference component", group: "hosting", type: "aws-native:sagemaker:InferenceComponent", workload: "component",
        nameKey: "InferenceComponentName", arnKey: "InferenceComponentArn",
    },
    { kind: "Space", noun: "Studio space", group: "space", type: "aws-native:sagemaker:Space", workload: "space", nameKey: "SpaceName", arnKey: "SpaceArn" },
    { kind: "Cluster", noun: "HyperPod cluster", group: "cluster", type: "aws-native:sagemaker:Cluster", workload: "cluster", nameKey: "ClusterName", arnKey: "ClusterArn" },
] as KindShape[]).map(k => ({ ...k, policy: (k.workload ? recordsRule(k.workload) : typeRule(k.type))?.name ?? "" }));

/**
 * `props` (camelCase) with the kind's itemRenames applied to the items of those list properties
 * only: every other member, map members' user keys (environment variables, tags) included, is
 * kept as it is. A member the item already spells the judged type's way is kept.
 */
export function renamedItems(kind: RecordKind, props: Obj): Obj {
    const renames = kind.itemRenames;
    if (renames === undefined) {
        return props;
    }
    const out: Obj = { ...props };
    for (const [list, names] of Object.entries(renames)) {
        const items = out[list];
        if (!Array.isArray(items)) {
            continue;
        }
        out[list] = (items as unknown[]).map((item): unknown => {
            if (!isObj(item)) {
                return item;
            }
            const o: Obj = {};
            for (const [k, v] of Object.entries(item)) {
                o[Object.prototype.hasOwnProperty.call(names, k) && !(names[k] in item) ? names[k] : k] = v;
            }
            return o;
        });
    }
    return out;
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

export const PROJECTS: Record<RecordSource, string> = { cloudtrail: "cloudtrail", describe: "sagemaker-describe", config: "aws-config" };

/** What an empty input of each source holds, as its pseudo-stack is named. */
const EMPTY: Record<RecordSource, string> = { cloudtrail: "no-events", describe: "no-resources", config: "no-items" };

export function stackName(s: { account: string; region: string }, source: RecordSource = "cloudtrail"): string {
    return s.account === "" && s.region === "" ? EMPTY[source] : `${s.account || "unknown"}-${s.region || "unknown"}`;
}

/**
 * A record's resource: logical name `name` (the resource's AWS name, or the eventID of a call
 * that names none), and for a CloudTrail call, `eventId` in its URN's type (the same name can be
 * created twice in one stack).
 */
export function recordResource(set: { account: string; region: string }, source: RecordSource, kind: RecordKind, name: string, props: Obj,
    eventId?: string): StackResource {
    const type = eventId === undefined ? kind.type : `cloudtrail:event:${eventId}$${kind.type}`;
    const urn = `urn:pulumi:${stackName(set)}::${PROJECTS[source]}::${type}::${name}`;
    return stackResource({ urn, type: kind.type, name, inputs: props, outputs: props, dependencies: [], propertyDependencies: {}, external: false });
}

/** The pseudo-stack of records of `source` that hold nothing (an empty log, a lookup or query that found nothing). */
export function noRecords(file: string, source: RecordSource): StackInput {
    return {
        file, source, stack: EMPTY[source], project: PROJECTS[source], resources: [],
        records: { source, account: "", region: "", records: [], rejected: [] },
    };
}
