/**
 * Extraction of workloads from SageMaker request shapes (CreateModel, CreateTrainingJob,
 * CreateHyperParameterTuningJob, CreateProcessingJob, monitoring job definitions). The same
 * code reads Pulumi resource inputs (camelCase), pipeline step arguments and Step Functions
 * task parameters (PascalCase), through a `Dialect`.
 */
import { AWS_DOMAIN } from "../facts/images";
import { asString, Dialect, DYNAMIC, isObj, isOpaque, join, keyIn, read, readList } from "../values/values";
import { Access, Container, Isolation, Kind, Ref, VpcAttachment, VpcState, Workload } from "./types";

/**
 * One rule for every input path (typed inputs, pipeline and state machine JSON): the boolean
 * true, or a string that is "true" in any letter case, is on. Those strings are what the
 * converters between a program and the API read as true (or they reject the request); a string
 * with spaces around it, "1", "yes" or a number are not reliably true anywhere, so they are off.
 */
export function isolationOf(v: unknown): Isolation {
    if (v === undefined || v === null) {
        return "absent";
    }
    if (isOpaque(v)) {
        return v;
    }
    return v === true || (typeof v === "string" && v.toLowerCase() === "true") ? "on" : "off";
}

/** Property path with the member name as the dialect spells it. */
export function at(d: Dialect, base: string, key: string): string {
    return join(base, keyIn(d, key));
}

function ref(d: Dialect, obj: unknown, base: string, key: string): Ref | undefined {
    const value = asString(read(d, obj, key));
    return value === undefined ? undefined : { path: at(d, base, key), value };
}

/**
 * The `VpcConfig` a request declares. A request (or `NetworkConfig`) that is wholly a run-time
 * value (`"Parameters.$"`, `{"Get": ...}`) declares none: only a `VpcConfig` written in the
 * document, even as a run-time value itself, attaches the workload to a VPC.
 */
export function vpcOf(d: Dialect, owner: unknown, base: string, key = "VpcConfig"): VpcAttachment | undefined {
    return owner === DYNAMIC ? undefined : attachment(d, read(d, owner, key), at(d, base, key));
}

/** The attachment a `VpcConfig` value `cfg` (read at `path`) declares. */
function attachment(d: Dialect, cfg: unknown, path: string): VpcAttachment | undefined {
    if (cfg === undefined || cfg === null) {
        return undefined;
    }
    const list = readList(d, cfg, "Subnets");
    if (isOpaque(list)) {
        return { path, subnets: list };
    }
    const subnets = (list ?? []).map(asString).filter((s): s is string => s !== undefined);
    return { path, subnets };
}

/**
 * Whether a request declares a `VpcConfig`. Unlike vpcOf, a request (or `NetworkConfig`) that is
 * wholly a run-time value is `DYNAMIC`: it may or may not carry one.
 */
export function vpcStateOf(d: Dialect, owner: unknown, key = "VpcConfig"): VpcState {
    return stateOf(read(d, owner, key));
}

/** The state of a `VpcConfig` value already read (see vpcStateOf). */
function stateOf(cfg: unknown): VpcState {
    return cfg === undefined || cfg === null ? "absent" : isOpaque(cfg) ? cfg : "set";
}

// An Amazon S3 location: `s3://bucket/key`, or an http(s) URL whose host is an S3 endpoint of any
// partition: virtual-hosted (`bucket.s3.eu-west-1.amazonaws.com`, `bucket.s3.amazonaws.com`,
// `bucket.s3-eu-west-1...`), path-style (`s3.eu-west-1.amazonaws.com/bucket`), dual-stack, FIPS,
// accelerate, access points (`ap-123456789012.s3-accesspoint.us-east-1...`). Hyperparameters are
// JSON-encoded, so the value may be quoted. (A host name has at most 253 characters: the bounds
// keep the match linear on any value.) A host may end the value, white space after it aside: the
// value is read without trailing white space, so that `$` ends it, not `\s*$`, which every way of
// splitting a host of many `s3.` parts would read on to the end of a long value.
const S3_LOCATION = new RegExp(String.raw`^["'\s]*(?:s3:\/\/|https?:\/\/(?:[^/?#@\s]{0,253}\.)?s3(?:[.-][^/?#@\s]{0,253})?\.${AWS_DOMAIN}(?::\d+)?(?:[/?#"']|$))`, "i");

/** Whether `v` is an Amazon S3 location (exported for the tests). */
export function isS3Uri(v: unknown): boolean {
    return typeof v === "string" && S3_LOCATION.test(v.trimEnd());
}

/** Path of an Amazon S3 code location in an environment or hyperparameter map, if any. */
function s3Code(d: Dialect, map: unknown, base: string, mapKey: string, varName: string): string | undefined {
    const m = read(d, map, mapKey);
    return isS3Uri(read(d, m, varName, true)) ? `${at(d, base, mapKey)}.${varName}` : undefined;
}

/** What a model or job declares besides its isolation and VPC: read at its first use (see Job). */
interface Rest {
    containers: Container[];
    singleInstance?: boolean;
    access?: Access[];
}

/**
 * A model or job in the common view. Its isolation, VPC and encryption are read at once; its
 * containers (images, packages, code locations), instance count and remote access when a policy
 * first asks for them: the VPC endpoints policy, which reads every workload of the stack, never
 * does, and they are most of the reading. A cached document's workloads are read whole
 * (`settle`), so the cache keeps no parsed document alive.
 */
class Job implements Workload {
    encryption?: Isolation;
    encryptionPath?: string;
    private rest?: Rest;
    private readRest?: () => Rest;

    constructor(readonly kind: Kind, readonly path: string, readonly isolation: Isolation, readonly isolationPath: string,
        readonly vpcPath: string, readonly vpcState: VpcState, readonly vpc: VpcAttachment | undefined, readRest: () => Rest) {
        this.readRest = readRest;
    }

    private read(): Rest {
        if (this.rest === undefined) {
            this.rest = this.readRest!();
            this.readRest = undefined; // (what it read from may go)
        }
        return this.rest;
    }

    get containers(): Container[] {
        return this.read().containers;
    }

    get singleInstance(): boolean | undefined {
        return this.read().singleInstance;
    }

    get access(): Access[] | undefined {
        return this.read().access;
    }
}

/** Reads every part of `w` now (for workloads kept in a cache: see Job). */
export function settle(w: Workload): void {
    void w.containers;
}

/**
 * A workload whose `EnableNetworkIsolation` and `VpcConfig` are members of `owner` (the request,
 * or its `NetworkConfig`) at `base`; `rest` reads what else it declares, when first asked.
 */
function workload(kind: Kind, d: Dialect, path: string, owner: unknown, base: string, rest: () => Rest): Workload {
    // One read of VpcConfig for both: its state (a request wholly set at run time may carry one) and the attachment it declares.
    const cfg = read(d, owner, "VpcConfig");
    const vpcPath = at(d, base, "VpcConfig");
    const w = new Job(kind, path, isolationOf(read(d, owner, "EnableNetworkIsolation")), at(d, base, "EnableNetworkIsolation"),
        vpcPath, stateOf(cfg), owner === DYNAMIC ? undefined : attachment(d, cfg, vpcPath), rest);
    if (kind !== "model") {
        w.encryption = isolationOf(read(d, owner, "EnableInterContainerTrafficEncryption"));
        w.encryptionPath = at(d, base, "EnableInterContainerTrafficEncryption");
    }
    return w;
}

/** CreateModel: PrimaryContainer and Containers[], each with Image or ModelPackageName. */
export function model(d: Dialect, req: unknown, path: string): Workload[] {
    return [workload("model", d, path, req, path, () => ({ containers: modelContainers(d, req, path) }))];
}

function modelContainers(d: Dialect, req: unknown, path: string): Container[] {
    const containers: Container[] = [];
    const add = (c: unknown, cpath: string) => {
        if (c === undefined || c === null) {
            return;
        }
        containers.push({
            path: cpath,
            image: ref(d, c, cpath, "Image"),
            source: ref(d, c, cpath, "ModelPackageName"),
            codeFromS3: s3Code(d, c, cpath, "Environment", "SAGEMAKER_SUBMIT_DIRECTORY"),
        });
    };
    add(read(d, req, "PrimaryContainer"), at(d, path, "PrimaryContainer"));
    const list = readList(d, req, "Containers");
    if (Array.isArray(list)) {
        list.forEach((c, i) => add(c, `${at(d, path, "Containers")}[${i}]`));
    } else if (isOpaque(list)) {
        add(list, at(d, path, "Containers")); // containers not known: their images and packages are not either
    }
    return containers;
}

/** A training job, or one training job definition of a tuning job; `access`: a training job's remote debugging. */
function trainingLike(kind: Kind, d: Dialect, job: unknown, path: string, hyperKey: string, access = false): Workload {
    return workload(kind, d, path, job, path, () => {
        const spec = read(d, job, "AlgorithmSpecification");
        const specPath = at(d, path, "AlgorithmSpecification");
        const container: Container = {
            path,
            image: ref(d, spec, specPath, "TrainingImage"),
            source: ref(d, spec, specPath, "AlgorithmName"),
            codeFromS3: s3Code(d, job, path, hyperKey, "sagemaker_submit_directory")
                ?? s3Code(d, job, path, "Environment", "SAGEMAKER_SUBMIT_DIRECTORY"),
        };
        return { containers: [container], singleInstance: singleInstance(d, job), access: access ? [remoteDebug(d, job, path)] : undefined };
    });
}

/**
 * Whether a training job runs on one instance: `ResourceConfig.InstanceCount` is the literal 1
 * (the number, as the API takes it) and no `InstanceGroups` (a heterogeneous cluster) is declared.
 */
function singleInstance(d: Dialect, job: unknown): boolean {
    const res = read(d, job, "ResourceConfig");
    const groups = read(d, res, "InstanceGroups");
    return read(d, res, "InstanceCount") === 1 && (groups === undefined || groups === null);
}

/** A training job's remote debugging (`RemoteDebugConfig.EnableRemoteDebug`). */
function remoteDebug(d: Dialect, req: unknown, path: string): Access {
    const debug = read(d, req, "RemoteDebugConfig");
    const flag = read(d, debug, "EnableRemoteDebug");
    // A RemoteDebugConfig that is itself set at run time (or not known yet) may turn it on.
    const state = isOpaque(debug) ? debug : isolationOf(flag);
    const where = isOpaque(debug) ? at(d, path, "RemoteDebugConfig") : at(d, at(d, path, "RemoteDebugConfig"), "EnableRemoteDebug");
    return { how: "debug", path: where, state };
}

export function training(d: Dialect, req: unknown, path: string): Workload[] {
    return [trainingLike("training", d, req, path, "HyperParameters", true)];
}

/** CreateHyperParameterTuningJob: TrainingJobDefinition and TrainingJobDefinitions[]. */
export function tuning(d: Dialect, req: unknown, path: string): Workload[] {
    const out: Workload[] = [];
    const one = read(d, req, "TrainingJobDefinition");
    if (one !== undefined && one !== null) {
        out.push(trainingLike("tuning", d, one, at(d, path, "TrainingJobDefinition"), "StaticHyperParameters"));
    }
    const many = readList(d, req, "TrainingJobDefinitions");
    if (Array.isArray(many)) {
        many.forEach((def, i) => out.push(
            trainingLike("tuning", d, def, `${at(d, path, "TrainingJobDefinitions")}[${i}]`, "StaticHyperParameters")));
    } else if (isOpaque(many)) {
        out.push(trainingLike("tuning", d, many, at(d, path, "TrainingJobDefinitions"), "StaticHyperParameters"));
    }
    return out;
}

/**
 * Jobs whose isolation lives in `NetworkConfig`: processing jobs (`AppSpecification`) and
 * monitoring jobs (`<App>AppSpecification`, e.g. `DataQualityAppSpecification`).
 */
function networked(kind: Kind, d: Dialect, req: unknown, path: string, appKey: string): Workload[] {
    const net = read(d, req, "NetworkConfig");
    const netPath = at(d, path, "NetworkConfig");
    return [workload(kind, d, path, net, netPath, () => {
        const app = read(d, req, appKey);
        const appPath = at(d, path, appKey);
        return {
            containers: [{
                path,
                image: ref(d, app, appPath, "ImageUri"),
                codeFromS3: s3Code(d, req, path, "Environment", "SAGEMAKER_SUBMIT_DIRECTORY")
                    ?? s3Code(d, app, appPath, "Environment", "SAGEMAKER_SUBMIT_DIRECTORY"),
            }],
        };
    })];
}

export function processing(d: Dialect, req: unknown, path: string): Workload[] {
    return networked("processing", d, req, path, "AppSpecification");
}

/** A monitoring job definition whose app specification member is `appKey`. */
export function monitoring(appKey: string) {
    return (d: Dialect, req: unknown, path: string): Workload[] => networked("monitoring", d, req, path, appKey);
}

/** A monitoring schedule: only an inline `MonitoringJobDefinition` declares a job. */
export function monitoringSchedule(d: Dialect, req: unknown, path: string): Workload[] {
    const cfg = read(d, req, "MonitoringScheduleConfig");
    const def = read(d, cfg, "MonitoringJobDefinition");
    if (def === undefined || def === null || !(isObj(def) || isOpaque(def))) {
        return [];
    }
    const defPath = at(d, at(d, path, "MonitoringScheduleConfig"), "MonitoringJobDefinition");
    return networked("monitoring", d, def, defPath, "MonitoringAppSpecification");
}

export type Extractor = (d: Dialect, req: unknown, path: string) => Workload[];
