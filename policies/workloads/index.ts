/**
 * The one place that knows which resource types declare SageMaker workloads and where.
 * `extract(type, props)` turns any resource's properties into the common view that every
 * policy reads; JSON documents are parsed once per distinct text (a small cache), so the
 * policies that look at the same resource do not parse it again.
 */
import { UNKNOWN_SENTINEL } from "../lib/sentinels";
import { isObj, isSentinel, label, Obj, unwrap } from "../lib/values";
import * as api from "./api";
import { Labeller, pipelineWorkloads, stateMachineWorkloads } from "./documents";
import { Extraction, Workload } from "./types";

export * from "./types";

type ResourceExtractor = (props: Obj) => Extraction;

const NONE: Extraction = Object.freeze({ workloads: [], unreadable: [] }) as Extraction;

const TYPED = new Set<ResourceExtractor>();

function typed(fn: api.Extractor): ResourceExtractor {
    const e: ResourceExtractor = props => ({ workloads: fn("camel", props, ""), unreadable: [] });
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
 * on the substitutions too).
 */
function documentText(text: unknown, base: string, walk: Walker, names?: Labeller): Extraction {
    const name = names ?? label;
    if (isSentinel(text)) {
        return { workloads: [], unreadable: [{ path: base, why: "preview" }] };
    }
    if (typeof text !== "string") {
        return isObj(text) ? { workloads: walk(text, base, name), unreadable: [] } : NONE;
    }
    let cache = names ? undefined : caches.get(base);
    if (!cache && !names) {
        caches.set(base, cache = new Map());
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
        ? { workloads: [], unreadable: [{ path: base, why: "invalid" }] }
        : { workloads: result, unreadable: [] };
}

/** A definition stored in Amazon S3: the pack makes no network call, so it cannot be read. */
function external(path: string): Extraction {
    return { workloads: [], unreadable: [{ path, why: "external" }] };
}

const SUBSTITUTION = /\$\{([^}]+)\}/g;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
// What an unknown substitution turns its whole string into (the engine's unknown string).
const UNKNOWN_LITERAL = JSON.stringify(UNKNOWN_SENTINEL);

/**
 * CloudFormation-style `${name}` substitutions of an aws-native state machine, applied to the
 * string literals of a JSON text. A value is inserted JSON-escaped. A string that is exactly one
 * substitution not known yet (or from a map not known yet) becomes the unknown value; inside a
 * longer string (e.g. `arn:${partition}:states:::...`) such a reference is left as it is.
 *
 * Also returns how to show state names in messages: with each substituted value shown as its
 * `${name}` again, since a substitution may be a secret (the engine does not say which are).
 */
function substitute(text: string, subs: unknown): { text: string; name?: Labeller } {
    const unknownMap = isSentinel(subs);
    if (!unknownMap && !isObj(subs)) {
        return { text };
    }
    const used = new Map<string, string>();
    const out = text.replace(STRING_LITERAL, literal => {
        if (!literal.includes("${")) {
            return literal;
        }
        const valueOf = (k: string) => !unknownMap && Object.prototype.hasOwnProperty.call(subs, k) ? (subs as Obj)[k] : undefined;
        const whole = /^"\$\{([^}]+)\}"$/.exec(literal);
        if (whole && (unknownMap || isSentinel(valueOf(whole[1])))) {
            return UNKNOWN_LITERAL;
        }
        return literal.replace(SUBSTITUTION, (m, k: string) => {
            const v = valueOf(k);
            if ((typeof v === "string" || typeof v === "number" || typeof v === "boolean") && !isSentinel(v)) {
                const s = String(v);
                if (s !== "" && !used.has(s)) {
                    used.set(s, k);
                }
                return JSON.stringify(s).slice(1, -1);
            }
            return m;
        });
    });
    return { text: out, name: used.size === 0 ? undefined : unsubstituted(used) };
}

/** A labeller that shows each of the `used` values (value → substitution name) as `${name}`. */
function unsubstituted(used: Map<string, string>): Labeller {
    const values = [...used.keys()].sort((a, b) => b.length - a.length);
    const re = new RegExp(values.map(v => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
    return s => label(typeof s === "string" ? s.replace(re, m => "${" + used.get(m) + "}") : s);
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
        const subs = p["definitionSubstitutions"];
        if (p["definitionString"] !== undefined) {
            const text = p["definitionString"];
            if (typeof text !== "string") {
                return documentText(text, "definitionString", stateMachineWorkloads);
            }
            const sub = substitute(text, subs);
            return documentText(sub.text, "definitionString", stateMachineWorkloads, sub.name);
        }
        const def = p["definition"];
        if (!(isObj(def) && (isObj(subs) || isSentinel(subs)))) {
            return documentText(def, "definition", stateMachineWorkloads);
        }
        const sub = substitute(JSON.stringify(def), subs);
        return documentText(sub.text, "definition", stateMachineWorkloads, sub.name);
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
