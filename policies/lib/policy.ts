/**
 * The frame every policy of the pack runs in: it extracts the workloads once, calls the
 * policy's short rule, and reports the findings. It never throws: the SDK would turn an
 * exception into a failed preview for every stack of the organization.
 */
import {
    EnforcementLevel, PolicyComplianceFramework, PolicyConfigSchema, ReportViolation, ResourceRemediation,
    ResourceValidationArgs, ResourceValidationPolicy, Severity, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { extract, Extraction, Unreadable, UNREADABLE_REASONS, WORKLOAD_TYPES } from "../workloads";
import { SEALED, UNKNOWN } from "./values";

/** Where the README documents each policy; a policy's `url` is this plus its name. */
export const DOCS_URL = "README.md#";

/** Messages of findings that cannot be decided during preview begin with this. */
export const PREVIEW_NOTE = "Cannot check during preview:";

/**
 * The note for something a policy cannot read: `subject` (e.g. `name: path`), why (worded once,
 * UNREADABLE_REASONS), then `consequence`. Only what is not known during preview says so.
 */
export function unreadableNote(why: Unreadable["why"], subject: string, consequence: string): Finding {
    return { note: true, message: `${why === "preview" ? PREVIEW_NOTE : "Cannot check:"} ${subject} ${UNREADABLE_REASONS[why]}${consequence}` };
}

/** Why a value, or an isolation state, cannot be read: not known during preview, or an undecryptable secret. */
export function unreadable(v: unknown): "preview" | "sealed" | undefined {
    return v === UNKNOWN || v === "unknown" ? "preview" : v === SEALED || v === "sealed" ? "sealed" : undefined;
}

export interface Finding {
    message: string;
    /** `note`: an advisory note whatever the policy's level (undecidable during preview). */
    note?: boolean;
    /** The resource a stack policy's finding is about. */
    urn?: string;
}

/**
 * A rule's answer that the policy does not apply to its subject. Pulumi Cloud counts a
 * resource as passing every policy that reports neither a violation nor "not applicable", so
 * a policy that judges nothing must say so (`args.notApplicable`, @pulumi/policy >= 1.18).
 */
export interface NotApplicable {
    notApplicable: string;
}

/** What a rule returns: its findings (none: the subject passes), or that it does not apply. */
export type Verdict = Finding[] | NotApplicable;

export function notApplicable(reason: string): NotApplicable {
    return { notApplicable: reason };
}

export interface Meta {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    tags: string[];
    remediationSteps: string;
    framework?: PolicyComplianceFramework;
    configSchema?: PolicyConfigSchema;
}

export interface ResourceContext {
    /** The resource's logical name, for messages. */
    name: string;
    urn: string;
    type: string;
    extraction: Extraction;
    config: Record<string, unknown>;
}

export interface StackContext {
    args: StackValidationArgs;
    config: Record<string, unknown>;
}

function configOf(getConfig: () => unknown): Record<string, unknown> {
    try {
        const c = getConfig();
        return typeof c === "object" && c !== null ? c as Record<string, unknown> : {};
    } catch {
        return {};
    }
}

const MAX_MESSAGE = 1000;

/** A message or reason as the pack reports it: one line, at most 1,000 characters. */
export function oneLine(s: string): string {
    const t = s.replace(/[\r\n\t]+/g, " ");
    return t.length > MAX_MESSAGE ? t.slice(0, MAX_MESSAGE - 3) + "..." : t;
}

/**
 * Reports findings: violations at the policy's level, notes as advisory diagnostics (the SDK
 * honours a per-diagnostic `enforcementLevel` in the object form), and the preview notes of
 * one subject as a single advisory diagnostic.
 */
export function report(reportViolation: ReportViolation, findings: Finding[]): void {
    const rv = reportViolation as unknown as (v: { message: string; urn?: string; enforcementLevel?: EnforcementLevel }) => void;
    const notes = new Map<string | undefined, Finding[]>();
    for (const f of findings) {
        if (f.note && f.message.startsWith(PREVIEW_NOTE)) {
            const list = notes.get(f.urn);
            if (list) {
                list.push(f);
            } else {
                notes.set(f.urn, [f]);
            }
        } else {
            rv({ message: oneLine(f.message), urn: f.urn, enforcementLevel: f.note ? "advisory" : undefined });
        }
    }
    for (const [urn, ns] of notes) {
        const more = ns.length > 1 ? ` (and ${ns.length - 1} more value${ns.length > 2 ? "s" : ""} not known yet)` : "";
        rv({ message: oneLine(ns[0].message + more), urn, enforcementLevel: "advisory" });
    }
}

function internalError(e: unknown): Finding {
    const kind = e instanceof Error ? e.name : typeof e;
    return { note: true, message: `Cannot check: the policy met an internal error (${kind}); please report it.` };
}

/**
 * Runs a rule and reports its verdict; an exception becomes an advisory note, never a throw.
 * The one exception it lets through is the SDK's own: `args.notApplicable(reason)` throws an
 * error the SDK catches to record the result, so it is called last, outside the rule's frame.
 */
function run(args: { notApplicable?: (reason?: string) => never }, reportViolation: ReportViolation, rule: () => Verdict): void {
    let verdict: Verdict;
    try {
        verdict = rule();
    } catch (e) {
        verdict = [internalError(e)];
    }
    if (!Array.isArray(verdict)) {
        if (typeof args.notApplicable === "function") {
            args.notApplicable(oneLine(verdict.notApplicable));
        }
        return;
    }
    try {
        report(reportViolation, verdict);
    } catch {
        // Reporting cannot fail in the SDK; nothing more can be done here.
    }
}

/** Why a resource policy does not apply to resources of types that declare no workload. */
const NOT_SAGEMAKER = "Not a resource that declares SageMaker models or jobs";
/** Why it does not apply to a resource of such a type that declares none (e.g. a state machine without SageMaker tasks). */
const DECLARES_NONE = "Declares no SageMaker model or job";

export function resourcePolicy(meta: Meta & { url?: string; remediateResource?: ResourceRemediation },
    check: (ctx: ResourceContext) => Verdict): ResourceValidationPolicy {
    return {
        ...meta,
        url: meta.url ?? DOCS_URL + meta.name,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => run(args, reportViolation, () => {
            if (!WORKLOAD_TYPES.has(args.type)) {
                return notApplicable(NOT_SAGEMAKER);
            }
            const extraction = extract(args.type, args.props);
            if (extraction.workloads.length === 0 && extraction.unreadable.length === 0) {
                return notApplicable(DECLARES_NONE);
            }
            return check({ name: args.name, urn: args.urn, type: args.type, extraction, config: configOf(() => args.getConfig()) });
        }),
    };
}

export function stackPolicy(meta: Meta & { url?: string },
    check: (ctx: StackContext) => Verdict): StackValidationPolicy {
    return {
        ...meta,
        url: meta.url ?? DOCS_URL + meta.name,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) =>
            run(args, reportViolation, () => check({ args, config: configOf(() => args.getConfig()) })),
    };
}
