import { DYNAMIC, Opaque, SEALED, UNKNOWN, UNRECORDED } from "../values/values";
import type { UnreadableWhy } from "../values/wire";

/**
 * What a SageMaker workload is. Tuning jobs yield one workload per training job definition.
 * Besides models and jobs: `endpoint`, an endpoint configuration (its isolation judged where it
 * hosts inference components); `component`, an inference component (it runs with its endpoint
 * configuration's isolation); `space`, a Studio space; `cluster`, a HyperPod cluster.
 */
export type Kind = ModelOrJob | "endpoint" | "component" | "space" | "cluster";

/** The kinds of models and jobs: each has its own `EnableNetworkIsolation` and `VpcConfig`. */
export type ModelOrJob = "model" | "training" | "tuning" | "processing" | "monitoring";

/** Every kind of model or job, in the order reports list them. */
export const ALL_KINDS: readonly Kind[] = ["model", "training", "tuning", "processing", "monitoring"];

/** The kinds of jobs, each with its own `EnableInterContainerTrafficEncryption`. */
export const JOB_KINDS: readonly Kind[] = ["training", "tuning", "processing", "monitoring"];

/** How messages name each kind. */
export const KIND_NOUNS: Readonly<Record<Kind, string>> = {
    model: "model",
    training: "training job",
    tuning: "tuning job",
    processing: "processing job",
    monitoring: "monitoring job",
    endpoint: "endpoint configuration",
    component: "inference component",
    space: "Studio space",
    cluster: "HyperPod cluster",
};

/**
 * The state of `EnableNetworkIsolation`:
 * `on` (true, or "true" in any letter case), `off` (false or anything else), `absent` (not set: AWS defaults to false),
 * or the value itself when it cannot be decided: `UNKNOWN` (not known during preview), `DYNAMIC` (set at run time
 * by a pipeline or state machine), `SEALED` (a secret the analyzed state could not be decrypted for),
 * `UNRECORDED` (AWS Config does not record it: the check command's records).
 */
export type Isolation = "on" | "off" | "absent" | typeof UNKNOWN | typeof DYNAMIC | typeof SEALED | typeof UNRECORDED;

/** A string-valued reference found in a workload, with the property path it was found at. */
export interface Ref {
    path: string;
    value: string | Opaque;
}

export interface Container {
    /** Path of the container (or of the job, for single-container jobs). */
    path: string;
    image?: Ref;
    /** A Marketplace-able model package (`ModelPackageName`) or algorithm (`AlgorithmName`). */
    source?: Ref;
    /** The path of the setting that fetches the code from Amazon S3 at start (`SAGEMAKER_SUBMIT_DIRECTORY`, `sagemaker_submit_directory`), if any. */
    codeFromS3?: string;
}

/**
 * Whether a workload declares a `VpcConfig`: `set` (written, whatever its subnets), `absent`, or
 * the value itself when it cannot be decided: `UNKNOWN`, `DYNAMIC` (the `VpcConfig`, or the whole
 * request or `NetworkConfig` it would be in, is computed at run time), `SEALED`.
 */
export type VpcState = "set" | "absent" | Opaque;

export interface VpcAttachment {
    /** Path of the `VpcConfig` object. */
    path: string;
    /** Subnet ids: each a string, or opaque; or the whole list opaque. */
    subnets: (string | Opaque)[] | Opaque;
}

/**
 * A way into a workload's running containers, and whether it is on (`Isolation`'s values:
 * `on` enabled, `off`/`absent` not): `ssm`, AWS Systems Manager sessions to an endpoint's
 * variant (`EnableSSMAccess`); `debug`, remote debugging of a training job
 * (`RemoteDebugConfig.EnableRemoteDebug`); `ide`, a Studio space's remote access from a local IDE
 * (`SpaceSettings.RemoteAccess` ENABLED).
 */
export interface Access {
    how: "ssm" | "debug" | "ide";
    path: string;
    state: Isolation;
}

/** One SageMaker model or job configuration declared by a resource, in a common view. */
export interface Workload {
    kind: Kind;
    /** Path of the workload inside the resource's properties ("" for the resource itself). */
    path: string;
    isolation: Isolation;
    /** Path where `EnableNetworkIsolation` is, or should be. */
    isolationPath: string;
    containers: Container[];
    /** Path where `VpcConfig` is, or should be. */
    vpcPath: string;
    vpcState: VpcState;
    /** The VPC attachment, for a `VpcConfig` written in the request (not for a request wholly set at run time). */
    vpc?: VpcAttachment;
    /** Jobs: the state of `EnableInterContainerTrafficEncryption` (read as isolation is), and where it is or should be. */
    encryption?: Isolation;
    encryptionPath?: string;
    /** Training jobs and tuning definitions: `ResourceConfig.InstanceCount` is the literal 1 and there are no instance groups. */
    singleInstance?: boolean;
    /** Ways into the running containers the workload declares. */
    access?: Access[];
    /**
     * Endpoint configurations: whether one hosts inference components (a variant without a model
     * name; opaque when the variants cannot be read), and the path of the first such variant (or
     * of the variants that cannot be read).
     */
    hostsComponents?: boolean | Opaque;
    componentsPath?: string;
    /** The resource type has no property for network isolation (@pulumi/aws's EndpointConfiguration). */
    isolationUnsupported?: boolean;
    /**
     * HyperPod clusters: every VPC attachment (the cluster's `VpcConfig` and each instance group's
     * `OverrideVpcConfig`), for the stack's network checks. `vpc` stays unset for clusters: the
     * VPC endpoints policy does not judge them yet.
     */
    attachments?: VpcAttachment[];
    /** HyperPod clusters: instance group overrides whose subnets are not set (paths of their `OverrideVpcConfig`). */
    overridesWithoutSubnets?: string[];
}

/**
 * A part of a resource that declares workloads but cannot be read: a definition that is an
 * unreadable value (`preview`, `sealed`), not valid JSON (`invalid`), not valid JSON once an
 * aws-native state machine's substitutions are applied (`substituted`), or stored in Amazon S3
 * (`external`).
 */
export interface UnreadablePart {
    path: string;
    why: UnreadableWhy;
}


export interface Extraction {
    workloads: Workload[];
    unreadable: UnreadablePart[];
}
