/**
 * The one place that knows which resource types declare SageMaker workloads and where.
 * `extract(type, props)` turns any resource's properties into the common view that every
 * policy reads; JSON documents are parsed once per distinct text (a cache of the latest 8 MB), so the
 * policies that look at the same resource do not parse it again.
 */
import { isObj, isSentinel, label, Obj, SEALED_STRING, unreadableRaw, unwrap } from "../values/values";
import * as api from "./api";
import * as hosting from "./hosting";
import { Labeller, pipelineWorkloads, stateMachineWorkloads } from "./documents";
import { sealedReference, substitute } from "./substitutions";
import { Extraction, UnreadablePart, Workload } from "./types";

export * from "./types";

/** `keep`: a document read is kept in the cache (see documentText). */
type ResourceExtractor = (props: Obj, keep: boolean) => Extraction;

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
const INVALID = Symbol("invalid JSON");

/**
 * Workloads of the documents read lately, by property path and text, least recently used first.
 * Every policy reads the same resource in its own call, and the engine (or the check command)
 * has many resources in flight at once, so the cache holds documents by their total size, not
 * by count: up to CACHE_BYTES characters of text (the texts are the resources' own strings,
 * kept a little longer), at least the newest one.
 */
const CACHE_BYTES = 8 * 1024 * 1024;
interface Entry { base: string; text: string; result: Workload[] | "invalid" }
const cache = new Map<string, Map<string, Entry>>();
const inUseOrder = new Set<Entry>(); // least recently used first
let cachedBytes = 0;

function cached(base: string, text: string): Workload[] | "invalid" | undefined {
    const e = cache.get(base)?.get(text);
    if (e) {
        inUseOrder.delete(e);
        inUseOrder.add(e);
    }
    return e?.result;
}

function remember(base: string, text: string, result: Workload[] | "invalid"): void {
    let byText = cache.get(base);
    if (!byText) {
        cache.set(base, byText = new Map<string, Entry>());
    }
    const e: Entry = { base, text, result };
    byText.set(text, e);
    inUseOrder.add(e);
    cachedBytes += text.length;
    for (const old of inUseOrder) {
        if (cachedBytes <= CACHE_BYTES || inUseOrder.size === 1) {
            break;
        }
        inUseOrder.delete(old);
        cache.get(old.base)?.delete(old.text);
        cachedBytes -= old.text.length;
    }
}

/**
 * Workloads of a JSON document given as text at property path `base`. `keep`: what is parsed is
 * kept in the cache (a reader that comes last, such as a stack policy, only looks it up). `names`
 * shows step and state names (given for substituted documents, which are then not cached: their
 * paths depend on the substitutions too). `invalid` says why text that does not parse cannot be read.
 */
function documentText(text: unknown, base: string, walk: Walker, keep: boolean, names?: Labeller, invalid: UnreadablePart["why"] = "invalid"): Extraction {
    const name = names ?? label;
    const why = unreadableRaw(text);
    if (why) {
        return { workloads: [], unreadable: [{ path: base, why }] };
    }
    if (typeof text !== "string") {
        return isObj(text) ? { workloads: walk(text, base, name), unreadable: [] } : NONE;
    }
    let result = names ? undefined : cached(base, text);
    if (result === undefined) {
        let doc: unknown;
        try {
            doc = JSON.parse(text);
        } catch {
            doc = INVALID;
        }
        // A walker error is a bug, not an invalid document: it reaches the policy frame.
        result = doc === INVALID ? "invalid" : walk(doc, base, name);
        if (!names && keep) {
            if (result !== "invalid") {
                result.forEach(api.settle); // (the cache keeps what was read, not the parsed document)
            }
            remember(base, text, result);
        }
    }
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
    "aws:sagemaker/pipeline:Pipeline": (p, keep) => p["pipelineDefinition"] === undefined && p["pipelineDefinitionS3Location"] !== undefined
        ? external("pipelineDefinitionS3Location")
        : documentText(p["pipelineDefinition"], "pipelineDefinition", pipelineWorkloads, keep),
    "aws-native:sagemaker:Pipeline": (p, keep) => {
        const def = p["pipelineDefinition"];
        if (isObj(def) && def["pipelineDefinitionBody"] === undefined && def["pipelineDefinitionS3Location"] !== undefined) {
            return external("pipelineDefinition.pipelineDefinitionS3Location");
        }
        return isSentinel(def)
            ? documentText(def, "pipelineDefinition", pipelineWorkloads, keep)
            : documentText(isObj(def) ? def["pipelineDefinitionBody"] : undefined,
                "pipelineDefinition.pipelineDefinitionBody", pipelineWorkloads, keep);
    },
    "aws:sfn/stateMachine:StateMachine": (p, keep) => documentText(p["definition"], "definition", stateMachineWorkloads, keep),
    "aws-native:stepfunctions:StateMachine": (p, keep) => {
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
            return documentText(def, base, stateMachineWorkloads, keep);
        }
        const sealed = sealedReference(text, subs);
        if (sealed) {
            return { workloads: [], unreadable: [{ path: sealed, why: "sealed" }] };
        }
        const sub = substitute(text, subs);
        return documentText(sub.text, base, stateMachineWorkloads, keep, sub.name, sub.invalid);
    },
} as Record<string, ResourceExtractor>));

/** Resource types that can declare SageMaker workloads. */
export const WORKLOAD_TYPES: ReadonlySet<string> = new Set(EXTRACTORS.keys());

/** Resource types whose workloads are the resource's own typed properties (not a JSON document). */
export const TYPED_TYPES: ReadonlySet<string> = new Set([...EXTRACTORS].filter(([, fn]) => TYPED.has(fn)).map(([t]) => t));

/**
 * The workloads a resource declares. `props` may be the SDK's proxy or plain data; unknown
 * values come back as `unknown`/opaque, never as an exception. `keep: false`: documents parsed
 * are not kept for later readers (the stack policy reads last; what resource policies parsed is
 * still found).
 */
export function extract(type: string, props: unknown, keep = true): Extraction {
    const fn = EXTRACTORS.get(type);
    const raw = fn ? unwrap(props) : undefined;
    if (!fn || !isObj(raw)) {
        return NONE;
    }
    return fn(raw, keep);
}
