import { Opaque } from "../lib/values";

/** What a SageMaker workload is. Tuning jobs yield one workload per training job definition. */
export type Kind = "model" | "training" | "tuning" | "processing" | "monitoring";

/** How messages name each kind. */
export const KIND_NOUNS: Readonly<Record<Kind, string>> = {
    model: "model",
    training: "training job",
    tuning: "tuning job",
    processing: "processing job",
    monitoring: "monitoring job",
};

/**
 * The state of `EnableNetworkIsolation`:
 * `on` (true, or "true" in any letter case), `off` (false or anything else), `absent` (not set: AWS defaults to false),
 * `unknown` (not known during preview), `dynamic` (set at run time by a pipeline or state machine),
 * `sealed` (a secret the analyzed state could not be decrypted for).
 */
export type Isolation = "on" | "off" | "absent" | "unknown" | "dynamic" | "sealed";

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

export interface VpcAttachment {
    /** Path of the `VpcConfig` object. */
    path: string;
    /** Subnet ids: each a string, or opaque; or the whole list opaque. */
    subnets: (string | Opaque)[] | Opaque;
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
    vpc?: VpcAttachment;
}

/**
 * A part of a resource that declares workloads but cannot be read: a definition not known
 * during preview (`preview`), not valid JSON (`invalid`), not valid JSON once an aws-native
 * state machine's substitutions are applied (`substituted`), stored in Amazon S3 (`external`),
 * or a secret the analyzed state could not be decrypted for (`sealed`).
 */
export interface Unreadable {
    path: string;
    why: "preview" | "invalid" | "substituted" | "external" | "sealed";
}

/** Why a definition cannot be read, worded once for the policies and the check command: "<path> <reason>". */
export const UNREADABLE_REASONS: Readonly<Record<Unreadable["why"], string>> = {
    preview: "is not known yet",
    invalid: "is not valid JSON",
    substituted: "is not valid JSON once its definitionSubstitutions are applied",
    external: "is stored in Amazon S3",
    sealed: "is a secret that could not be decrypted",
};

export interface Extraction {
    workloads: Workload[];
    unreadable: Unreadable[];
}
