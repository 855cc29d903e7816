/**
 * The frame every policy of the pack runs in. A rule (policies/rules/<name>.ts) declares what it
 * judges, its subject, and a short check; the frame turns it into the SDK's policy:
 *
 * - it answers "not applicable" for everything outside the subject, before the check runs;
 * - it reads the subject once (workloads extracted from the resource, or its plain properties);
 * - it applies the policy's exemptions (every policy takes them) and reports the findings;
 * - it never throws: the SDK would turn an exception into a failed preview for every stack of
 *   the organization. A check's exception becomes an advisory note.
 */
import {
    EnforcementLevel, PolicyComplianceFramework, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity,
    StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { extract, Extraction, Kind, Workload, WORKLOAD_TYPES } from "../workloads";
import { diagnosticKind, internalErrorNote, oneLine, unknownSettingNote, violationMessage } from "../values/wire";
import { applyExemptions, exemptionsSchema, exemptStackFindings } from "./exemptions";
import { Finding, note, notApplicable, Verdict } from "./verdict";
import { didYouMean } from "../values/suggest";
import { isObj, Obj, unwrap } from "../values/values";
import { policyUrl } from "../values/package-info";

export { Finding, NotApplicable, note, notApplicable, Verdict } from "./verdict";

/**
 * What a rule judges:
 * - `workloads`: the SageMaker models and jobs of these kinds, wherever a resource declares them
 *   (typed resources, pipeline definitions, state machines); `noun` names them in reasons
 *   ("models"). `isolation`: the rule judges their network isolation (the check command's
 *   evidence counts a record without it from this rule's violations). `records`: the kinds
 *   among them no isolation rule judges whose AWS records the check command judges by this rule
 *   (Studio spaces, HyperPod clusters); one rule per kind, isolation rules included, says so.
 * - `types`: resources of these types, read as plain properties; `noun` names one ("notebook instance").
 *   `records`: the rule the check command judges AWS records of these types by (its evidence
 *   counts them from this rule's verdicts); one rule per type says so.
 * - `stack`: the whole stack (a stack policy).
 */
type Subject = WorkloadSubject | { types: readonly string[]; noun: string; records?: boolean } | { stack: true };

export interface WorkloadSubject {
    workloads: readonly Kind[];
    noun: string;
    isolation?: boolean;
    records?: readonly Kind[];
}

/** A policy's metadata, as Pulumi shows it and the README documents it. */
interface Meta {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    tags: string[];
    remediationSteps: string;
    framework?: PolicyComplianceFramework;
    /** The policy's own settings (the frame adds `exemptions`). */
    settings?: Record<string, PolicyConfigJSONSchema>;
}

interface ResourceSubjectContext {
    /** The resource's logical name, for messages. */
    name: string;
    urn: string;
    type: string;
    config: Obj;
}

export interface WorkloadContext extends ResourceSubjectContext {
    subject: WorkloadSubject;
    /** The pack's policy that judges the network isolation of workloads of `kind` (to name it in a fix). */
    isolationPolicy: (kind: Kind) => string | undefined;
    extraction: Extraction;
    /** The workloads of the subject's kinds. */
    workloads: Workload[];
}

export interface TypeContext extends ResourceSubjectContext {
    /** The resource's properties, plain (unknowns are the engine's sentinels, never an exception). */
    props: Obj;
}

export interface StackContext {
    args: StackValidationArgs;
    config: Obj;
    /** The pack's policy that judges the network isolation of workloads of `kind` (to name it in a note). */
    isolationPolicy: (kind: Kind) => string | undefined;
}

export interface WorkloadRule extends Meta {
    subject: WorkloadSubject;
    check: (ctx: WorkloadContext) => Verdict;
    /** Remediation (level `remediate`): the resource's new properties, or undefined to leave it alone. */
    remediate?: (args: ResourceValidationArgs, subject: WorkloadSubject) => Obj | undefined;
}

export interface TypeRule extends Meta {
    subject: Extract<Subject, { types: readonly string[] }>;
    check: (ctx: TypeContext) => Verdict;
    remediate?: (args: ResourceValidationArgs) => Obj | undefined;
}

export interface StackRule extends Meta {
    subject: { stack: true };
    check: (ctx: StackContext) => Verdict;
}

/** A rule: one policy of the pack, as its file under policies/rules/ exports it (`export default rule({...})`). */
export type Rule = WorkloadRule | TypeRule | StackRule;

/** Declares a rule (checks its shape at compile time). */
export function rule<R extends Rule>(r: R): R {
    return r;
}

/**
 * Settings the pack was configured with that their policy does not declare, by policy: Pulumi
 * rejects an unknown key only inside a setting (the schemas say `additionalProperties: false`
 * there), and passes one at a policy's top level on without a word. Each policy records its own
 * whenever it runs (the configuration is the same for the whole preview); the stack policies
 * report them with each stack, so they are seen once per stack.
 */
const unknownSettings = new Map<string, string[]>();

/**
 * Forgets the unknown settings noted so far. The engine configures a pack process once, so the
 * pack never needs this; a process that runs policies under several configurations (the tests)
 * calls it between them.
 */
export function forgetUnknownSettings(): void {
    unknownSettings.clear();
}

function noteUnknownSettings(r: Rule, config: Obj): void {
    const keys = Object.keys(config);
    if (keys.length === 0 && !unknownSettings.has(r.name)) {
        return; // nothing set, nothing noted before: the common case, on every call
    }
    const known = [...Object.keys(r.settings ?? {}), "exemptions"];
    const notes = keys.filter(key => !known.includes(key))
        .map(key => unknownSettingNote(r.name, key, didYouMean(key, [...known, "enforcementLevel"])));
    if (notes.length > 0) {
        unknownSettings.set(r.name, notes);
    } else {
        unknownSettings.delete(r.name);
    }
}

/**
 * The policy's configuration (the SDK's getConfig, which never holds enforcementLevel); its
 * unknown settings noted. Read on every call, before the subject is judged, so that a policy
 * with nothing to judge in a stack still has its mistakes reported.
 */
function configOf(r: Rule, getConfig: () => unknown): Obj {
    let config: Obj = {};
    try {
        const c = getConfig();
        config = isObj(c) ? c : {};
    } catch {
        // No configuration: the defaults.
    }
    noteUnknownSettings(r, config);
    return config;
}

type ReportOne = (v: { message: string; urn?: string; enforcementLevel?: EnforcementLevel }) => void;

/**
 * Reports findings: violations at the policy's level, notes as advisory diagnostics (the SDK
 * honours a per-diagnostic `enforcementLevel` in the object form), and the preview notes of
 * one subject as a single advisory diagnostic.
 */
function report(reportViolation: ReportViolation, findings: Finding[]): void {
    const rv = reportViolation as unknown as ReportOne;
    const previewNotes = new Map<string | undefined, Finding[]>();
    for (const f of findings) {
        if (f.note && diagnosticKind(f.message) === "preview-note") {
            const list = previewNotes.get(f.urn);
            if (list) {
                list.push(f);
            } else {
                previewNotes.set(f.urn, [f]);
            }
        } else {
            rv({ message: oneLine(f.note ? f.message : violationMessage(f.message)), urn: f.urn, enforcementLevel: f.note ? "advisory" : undefined });
        }
    }
    for (const [urn, ns] of previewNotes) {
        const more = ns.length > 1 ? ` (and ${ns.length - 1} more value${ns.length > 2 ? "s" : ""} not known yet)` : "";
        rv({ message: oneLine(ns[0].message + more), urn, enforcementLevel: "advisory" });
    }
}

/**
 * Runs a check and reports its verdict; an exception becomes an advisory note, never a throw.
 * The one exception it lets through is the SDK's own: `args.notApplicable(reason)` throws an
 * error the SDK catches to record the result, so it is called last, outside the check's frame.
 */
function run(args: { notApplicable?: (reason?: string) => never }, reportViolation: ReportViolation, check: () => Verdict): void {
    let verdict: Verdict;
    try {
        verdict = check();
    } catch (e) {
        verdict = [{ note: true, message: internalErrorNote(e) }];
    }
    if (!Array.isArray(verdict)) {
        if (typeof args.notApplicable === "function") {
            notApplicableWithoutStack(args.notApplicable, oneLine(verdict.notApplicable));
        }
        return;
    }
    try {
        report(reportViolation, verdict);
    } catch {
        // Reporting cannot fail in the SDK; nothing more can be done here.
    }
}

/**
 * Calls the SDK's `notApplicable`, which throws an error the SDK catches for its reason alone,
 * with no stack captured: most resources are not applicable to most policies, and capturing a
 * stack for each (eleven per resource) was the largest single cost of a preview.
 */
function notApplicableWithoutStack(notApplicable: (reason?: string) => never, reason: string): void {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        notApplicable(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/** Why a workload rule does not apply to resources of types that declare no workload. */
const NOT_SAGEMAKER = "Not a resource that declares SageMaker models or jobs";
/** Why it does not apply to a resource of such a type that declares none (e.g. a state machine without SageMaker tasks). */
const DECLARES_NONE = "Declares no SageMaker model or job";

/** The verdict of a workload rule on one resource: not applicable outside its subject, else its check, exemptions applied. */
function judgeWorkloads(r: WorkloadRule, args: ResourceValidationArgs, isolationPolicy: (kind: Kind) => string | undefined): Verdict {
    const config = configOf(r, () => args.getConfig());
    if (!WORKLOAD_TYPES.has(args.type)) {
        return notApplicable(NOT_SAGEMAKER);
    }
    const extraction = extract(args.type, args.props);
    if (extraction.workloads.length === 0 && extraction.unreadable.length === 0) {
        return notApplicable(DECLARES_NONE);
    }
    const kinds = r.subject.workloads;
    const workloads = extraction.workloads.filter(w => kinds.includes(w.kind));
    if (workloads.length === 0 && extraction.unreadable.length === 0) {
        return notApplicable(`Declares no SageMaker ${r.subject.noun}`);
    }
    const verdict = r.check({ name: args.name, urn: args.urn, type: args.type, config, subject: r.subject, extraction, workloads, isolationPolicy });
    return Array.isArray(verdict) ? applyExemptions(config, args.name, args.urn, verdict) : verdict;
}

/** The same for a rule on resource types. */
function judgeType(r: TypeRule, args: ResourceValidationArgs): Verdict {
    const config = configOf(r, () => args.getConfig());
    if (!r.subject.types.includes(args.type)) {
        return notApplicable(`Not a ${r.subject.noun}`);
    }
    const raw = unwrap(args.props);
    const verdict = r.check({ name: args.name, urn: args.urn, type: args.type, config, props: isObj(raw) ? raw : {} });
    return Array.isArray(verdict) ? applyExemptions(config, args.name, args.urn, verdict) : verdict;
}

/** The rule of `rules` that judges the network isolation of workloads of `kind`. */
export function isolationRuleIn(rules: readonly Rule[], kind: Kind): WorkloadRule | undefined {
    return rules.find((r): r is WorkloadRule => "workloads" in r.subject && r.subject.isolation === true && r.subject.workloads.includes(kind));
}

/**
 * Policy and resource pairs at level `remediate`: the SDK calls a policy's remediation only at
 * that level, and the engine calls Remediate just before Analyze for the same resource; Analyze
 * then reports what the remediation left (a JSON definition, a resource it cannot change) as
 * mandatory. The findings of such a policy on that resource say so.
 */
const atRemediate = new Set<string>();

function saidMandatory(v: Verdict): Verdict {
    return Array.isArray(v)
        ? v.map(f => f.note ? f : { ...f, message: `${f.message} (This policy is at level remediate: Pulumi reports what its remediation does not fix as mandatory.)` })
        : v;
}

/** A remediation that never throws: an exception leaves the resource as it is. */
function safely(remediate: () => Obj | undefined): Obj | undefined {
    try {
        return remediate();
    } catch {
        return undefined;
    }
}

/** The SDK policy of a rule; `peers` are the pack's rules (a fix may name another policy). */
export function policyOf(r: Rule, peers: readonly Rule[] = []): ResourceValidationPolicy | StackValidationPolicy {
    const meta = {
        name: r.name,
        description: r.description,
        enforcementLevel: r.enforcementLevel,
        severity: r.severity,
        tags: r.tags,
        remediationSteps: r.remediationSteps,
        url: policyUrl(r.name),
        ...(r.framework ? { framework: r.framework } : {}),
        configSchema: { properties: { ...r.settings, exemptions: exemptionsSchema } },
    };
    const isolationPolicy = (kind: Kind) => isolationRuleIn(peers, kind)?.name;
    if ("stack" in r.subject) {
        const s = r as StackRule;
        return {
            ...meta,
            validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => run(args, reportViolation, () => {
                const config = configOf(s, () => args.getConfig());
                const verdict = s.check({ args, config, isolationPolicy });
                const configuration = [...unknownSettings.values()].flat().map(note);
                const findings = Array.isArray(verdict) ? exemptStackFindings(config, verdict) : verdict;
                return configuration.length === 0 ? findings : [...configuration, ...(Array.isArray(findings) ? findings : [])];
            }),
        };
    }
    const [judge, remediate] = "workloads" in r.subject
        ? [(args: ResourceValidationArgs) => judgeWorkloads(r as WorkloadRule, args, isolationPolicy),
            (r as WorkloadRule).remediate && ((args: ResourceValidationArgs) => (r as WorkloadRule).remediate?.(args, (r as WorkloadRule).subject))]
        : [(args: ResourceValidationArgs) => judgeType(r as TypeRule, args), (r as TypeRule).remediate];
    return {
        ...meta,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) =>
            run(args, reportViolation, () => atRemediate.size > 0 && atRemediate.delete(`${r.name}\0${args.urn}`) ? saidMandatory(judge(args)) : judge(args)),
        ...(remediate ? {
            remediateResource: (args: ResourceValidationArgs) => {
                if (atRemediate.size >= 10000) {
                    atRemediate.clear(); // Remediate without its Analyze (not the engine's way): keep the set small
                }
                atRemediate.add(`${r.name}\0${args.urn}`);
                return safely(() => remediate(args));
            },
        } : {}),
    };
}
