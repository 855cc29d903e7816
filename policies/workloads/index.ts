/**
 * The one place that knows which resource types declare SageMaker workloads and where.
 * `extract(type, props)` turns any resource's properties into the common view that every
 * policy reads; JSON documents are parsed once per distinct text (a small cache), so the
 * policies that look at the same resource do not parse it again.
 */
import { UNKNOWN_SENTINEL } from "../lib/sentinels";
import { isObj, isSentinel, label, Obj, SEALED_STRING, unreadableRaw, unwrap } from "../lib/values";
import * as api from "./api";
import { Labeller, pipelineWorkloads, stateMachineWorkloads } from "./documents";
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

const REFERENCE = /\$\{([^}]*)\}/g;
// A string literal (and the colon after it, if it is an object key), or a reference outside one.
const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\$\{([^}"]*)\}(\s*:)?/g;
const UNKNOWN_TOKEN = JSON.stringify(UNKNOWN_SENTINEL);

interface Substituted {
    text: string;
    /** How to show state names: each substituted value as its `${name}` (a value may be a secret). */
    name?: Labeller;
    /** Why the text cannot be read if it does not parse. */
    invalid: UnreadablePart["why"];
}

/**
 * An aws-native state machine's `definitionSubstitutions` applied as CloudFormation applies
 * them: every `${key}` of the map is replaced by its value as text, anywhere in the definition
 * (inside strings or not: `"EnableNetworkIsolation": ${Isolate}`), again until nothing changes;
 * then the result is parsed. A key not in the map stays as it is.
 *
 * A value not known yet (or any reference, when the whole map is not known) becomes the
 * engine's unknown: inside a string the sentinel takes the reference's place (the string then
 * reads as unknown, while `arn:${partition}:states:::sagemaker:...` still names its task);
 * outside a string it becomes the unknown string token. Object keys keep `${key}`, so state
 * names show it and two of them never collide. If the text does not parse once unknowns are
 * placed, it is not known yet rather than invalid: the value may be what makes it valid.
 */
function substitute(text: string, subs: unknown): Substituted {
    const values = new Map<string, string>();
    const unknown = new Set<string>();
    const allUnknown = isSentinel(subs);
    if (isObj(subs)) {
        for (const [k, v] of Object.entries(subs)) {
            if (isSentinel(v)) {
                unknown.add(k);
            } else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
                values.set(k, String(v));
            }
        }
    }
    const used = new Map<string, string>();
    let out = text;
    // A value may hold references itself; CloudFormation repeats, failing on a cycle (bounded
    // here). A value that refers to itself twice doubles the text on each pass: past twice the
    // text and 2 MiB (Step Functions takes definitions up to 1 MiB) it cannot be read.
    const limit = 2 * text.length + 2 * 1024 * 1024;
    for (let pass = 0, again = values.size > 0; again && pass <= values.size; pass++) {
        if (out.length > limit) {
            return { text: "", invalid: "substituted" }; // "" does not parse: not readable once substituted
        }
        again = false;
        out = out.replace(REFERENCE, (ref, k: string) => {
            const v = values.get(k);
            if (v === undefined) {
                return ref;
            }
            again ||= v.includes("${");
            if (v !== "" && !used.has(v)) {
                used.set(v, k);
            }
            return v;
        });
    }
    let placed = false;
    if (allUnknown || unknown.size > 0) {
        const isUnknown = (k: string) => allUnknown || unknown.has(k);
        out = out.replace(TOKEN, (m, literal: string | undefined, keyColon: string | undefined, ref: string | undefined, refColon: string | undefined) => {
            if (literal !== undefined) {
                return keyColon !== undefined || !literal.includes("${") ? m : literal.replace(REFERENCE, (r, k: string) => {
                    if (!isUnknown(k)) {
                        return r;
                    }
                    placed = true;
                    return UNKNOWN_SENTINEL;
                });
            }
            if (ref === undefined || !isUnknown(ref)) {
                return m;
            }
            placed = true;
            return refColon !== undefined ? JSON.stringify(m.slice(0, m.length - refColon.length)) + refColon : UNKNOWN_TOKEN;
        });
    }
    return {
        text: out,
        name: used.size === 0 ? undefined : unsubstituted(used),
        invalid: placed ? "preview" : out === text ? "invalid" : "substituted",
    };
}

/**
 * Where a definition's substitutions hold a secret `pulumi policy analyze` could not decrypt
 * and the text refers to it: the whole map, or the first such value. The definition then
 * cannot be read (its values are the secret's).
 */
function sealedReference(text: string, subs: unknown): string | undefined {
    if (subs === SEALED_STRING) {
        return "definitionSubstitutions";
    }
    const sealed = isObj(subs) ? Object.keys(subs).filter(k => subs[k] === SEALED_STRING) : [];
    const k = sealed.find(key => text.includes("${" + key + "}"));
    return k === undefined ? undefined : `definitionSubstitutions.${label(k)}`;
}

/**
 * A labeller that shows each of the `used` values (value → substitution name) as `${name}`,
 * in the form it has in the text and as a JSON string decodes it (`a\"b` reads `a"b`).
 */
function unsubstituted(used: Map<string, string>): Labeller {
    const forms = new Map(used);
    for (const [v, k] of used) {
        try {
            const decoded: unknown = JSON.parse(`"${v}"`);
            if (typeof decoded === "string" && decoded !== "" && !forms.has(decoded)) {
                forms.set(decoded, k);
            }
        } catch {
            // Not valid inside a JSON string: it cannot appear decoded in a name.
        }
    }
    const values = [...forms.keys()].sort((a, b) => b.length - a.length);
    const re = new RegExp(values.map(v => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
    return s => label(typeof s === "string" ? s.replace(re, m => "${" + forms.get(m) + "}") : s);
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
