/**
 * The one place that knows which resource types declare SageMaker workloads and where.
 * `extract(type, props)` turns any resource's properties into the common view that every
 * policy reads; JSON documents are parsed once per distinct text (a small cache), so the
 * policies that look at the same resource do not parse it again.
 */
import { isObj, isSentinel, label, Obj, SEALED_STRING, unreadableRaw, unwrap } from "../values/values";
import * as api from "./api";
import * as hosting from "./hosting";
import { Labeller, pipelineWorkloads, stateMachineWorkloads } from "./documents";
import { sealedReference, substitute } from "./substitutions";
import { Extraction, UnreadablePart, Workload } from "./types";

export * from "./types";

type ResourceExtractor = (props: Obj) => Extraction;

const NONE: Extraction = Object.freeze({ workloads: [], unreadable: [] });

const TYPED = new Set<ResourceExtractor>();

function typed(fn: api.Extractor): ResourceExtractor {
    const e: ResourceExtractor = props => ({ workloads: fn("camel", props, ""), unreadable: [] });
    TYPED.add(e);
    return e;
}

/** A typed resource that is not a model or a job (./hosting). */
function hosted(fn: (props: Obj) => Workload[]): ResourceExtractor {
    const e: ResourceExtractor = props => ({ workloads: fn(props), unreadable: [] });
    TYPED.add(e);
    return e;
}

type Walker = (doc: unknown, base: string, name: Labeller) => Workload[];
const CACHE_SIZE = 4;
const INVALID = Symbol("invalid JSON");
const caches = new Map<string, Map<string, Workload[] | "invalid">>();

/**
 * Workloads of a JSON document given as text at property path `base`. `names` shows step and
 * state names (given for substituted documents, which are then not cached: their paths depend
 * on the substitutions too). `invalid` says why text that does not parse cannot be read.
 */
function documentText(text: unknown, base: string, walk: Walker, names?: Labeller, invalid: UnreadablePart["why"] = "invalid"): Extraction {
    const name = names ?? label;
    const why = unreadableRaw(text);
    if (why) {
        return { workloads: [], unreadable: [{ path: base, why }] };
    }
    if (typeof text !== "string") {
        return isObj(text) ? { workloads: walk(text, base, name), unreadable: [] } : NONE;
    }
    let cache = names ? undefined : caches.get(base);
    if (!cache && !names) {
        caches.set(base, cache = new Map<string, Workload[] | "invalid">());
    }
    let result = cache?.get(text);
    if (result === undefined) {
        let doc: unknown;
        try {
            doc = JSON.parse(text);
        } catch {
            doc = INVALID;
        }
        // A walker error is a bug, not an invalid document: it reaches the policy frame.
        result = doc === INVALID ? "invalid" : walk(doc, base, name);
        if (cache && cache.size >= CACHE_SIZE) {
            cache.delete(cache.keys().next().value as string);
        }
    } else {
        cache?.delete(text); // refresh its place in the LRU order
    }
    cache?.set(text, result);
    return result === "invalid"
        ? { workloads: [], unreadable: [{ path: base, why: invalid }] }
        : { workloads: result, unreadable: [] };
}

/** A definition stored in Amazon S3: the pack makes no network call, so it cannot be read. */
function external(path: string): Extraction {
    return { workloads: [], unreadable: [{ path, why: "external" }] };
}

const EXTRACTORS = new Map<string, ResourceExtractor>(Object.entries({
    "aws:sagemaker/model:Model": typed(api.model),
    "aws-native:sagemaker:Model": typed(api.model),
    "aws:sagemaker/trainingJob:TrainingJob": typed(api.training),
    "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob": typed(api.tuning),
    "aws-native:sagemaker:ProcessingJob": typed(api.processing),
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition": typed(api.monitoring("DataQualityAppSpecification")),
    "aws-native:sagemaker:DataQualityJobDefinition": typed(api.monitoring("DataQualityAppSpecification")),
    "aws-native:sagemaker:ModelQualityJobDefinition": typed(api.monitoring("ModelQualityAppSpecification")),
    "aws-native:sagemaker:ModelBiasJobDefinition": typed(api.monitoring("ModelBiasAppSpecification")),
    "aws-native:sagemaker:ModelExplainabilityJobDefinition": typed(api.monitoring("ModelExplainabilityAppSpecification")),
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule": typed(api.monitoringSchedule),
    "aws-native:sagemaker:MonitoringSchedule": typed(api.monitoringSchedule),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": hosted(hosting.endpointConfig(true)),
    "aws-native:sagemaker:EndpointConfig": hosted(hosting.endpointConfig(false)),
    "aws-native:sagemaker:InferenceComponent": hosted(hosting.inferenceComponent),
    "aws-native:sagemaker:Space": hosted(hosting.space),
    "aws-native:sagemaker:Cluster": hosted(hosting.cluster),
    "aws:sagemaker/pipeline:Pipeline": p => p["pipelineDefinition"] === undefined && p["pipelineDefinitionS3Location"] !== undefined
        ? external("pipelineDefinitionS3Location")
        : documentText(p["pipelineDefinition"], "pipelineDefinition", pipelineWorkloads),
    "aws-native:sagemaker:Pipeline": p => {
        const def = p["pipelineDefinition"];
        if (isObj(def) && def["pipelineDefinitionBody"] === undefined && def["pipelineDefinitionS3Location"] !== undefined) {
            return external("pipelineDefinition.pipelineDefinitionS3Location");
        }
        return isSentinel(def)
            ? documentText(def, "pipelineDefinition", pipelineWorkloads)
            : documentText(isObj(def) ? def["pipelineDefinitionBody"] : undefined,
                "pipelineDefinition.pipelineDefinitionBody", pipelineWorkloads);
    },
    "aws:sfn/stateMachine:StateMachine": p => documentText(p["definition"], "definition", stateMachineWorkloads),
    "aws-native:stepfunctions:StateMachine": p => {
        if (p["definitionString"] === undefined && p["definition"] === undefined && p["definitionS3Location"] !== undefined) {
            return external("definitionS3Location");
        }
        const base = p["definitionString"] !== undefined ? "definitionString" : "definition";
        const def = p[base];
        const subs = p["definitionSubstitutions"];
        // CloudFormation writes an object definition out as JSON text, then substitutes.
        const map = isObj(subs) || isSentinel(subs) || subs === SEALED_STRING;
        const text = typeof def === "string" ? def : isObj(def) && map ? JSON.stringify(def) : undefined;
        if (text === undefined || !map || !text.includes("${")) {
            return documentText(def, base, stateMachineWorkloads);
        }
        const sealed = sealedReference(text, subs);
        if (sealed) {
            return { workloads: [], unreadable: [{ path: sealed, why: "sealed" }] };
        }
        const sub = substitute(text, subs);
        return documentText(sub.text, base, stateMachineWorkloads, sub.name, sub.invalid);
    },
} as Record<string, ResourceExtractor>));

/** Resource types that can declare SageMaker workloads. */
export const WORKLOAD_TYPES: ReadonlySet<string> = new Set(EXTRACTORS.keys());

/** Resource types whose workloads are the resource's own typed properties (not a JSON document). */
export const TYPED_TYPES: ReadonlySet<string> = new Set([...EXTRACTORS].filter(([, fn]) => TYPED.has(fn)).map(([t]) => t));

/**
 * The workloads a resource declares. `props` may be the SDK's proxy or plain data; unknown
 * values come back as `unknown`/opaque, never as an exception.
 */
export function extract(type: string, props: unknown): Extraction {
    const fn = EXTRACTORS.get(type);
    const raw = fn ? unwrap(props) : undefined;
    if (!fn || !isObj(raw)) {
        return NONE;
    }
    return fn(raw);
}
