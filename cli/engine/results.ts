/** What evaluating stacks through the pack yields: findings, per-policy results, scores. */
import type { Exemption } from "../../policies/values/wire";
import type { StackInput } from "../inputs/types";
import type { AnalyzerInfo, Level, ResolvedConfig } from "../protocol/protocol";

/** A diagnostic a policy reported, with the resource it is about. */
export interface Finding {
    policyName: string;
    level: Level;
    message: string;
    urn: string;
    /** Logical name and type of the resource the finding is about ("" for the stack itself). */
    resourceName: string;
    resourceType: string;
}

/**
 * One policy's result for one resource (resource policies) or for the stack (the stack
 * policy), as Pulumi Cloud records it: failed (it reported a diagnostic), not applicable (it
 * said so), passed (neither). An exemption is a not-applicable result; `exempted` marks the
 * ones whose reason the wire contract parses as an applied exemption (`exemption` is what it names).
 */
export interface PolicyResult {
    policyName: string;
    urn: string;
    resourceName: string;
    resourceType: string;
    outcome: "failed" | "passed" | "not-applicable" | "exempted";
    /** The pack's not-applicable reason (not-applicable and exempted results). */
    reason?: string;
    /** The exemption that applied, as the pack reported it. */
    exemption?: Exemption;
}

/** A compliance score: `part` of `whole`, and the percentage (null when `whole` is 0: not applicable). */
export interface Score {
    part: number;
    whole: number;
    percent: number | null;
}

/**
 * Pulumi Cloud's two scores for a stack. Policy compliance: of the enabled policies that apply
 * to something in the stack, those that failed nowhere. Resource compliance: of the resources
 * some policy applies to (governed), those no policy failed on. Summed over stacks (the json
 * report's `summary.scores`), the policy score counts stack × policy results: a policy counts
 * once per stack it applies to.
 */
export interface Scores {
    policies: Score;
    resources: Score;
}

/** A resource whose inputs a policy at level "remediate" changed before it was analyzed. */
export interface Remediated {
    policyName: string;
    urn: string;
    resourceName: string;
    resourceType: string;
}

export interface StackResult {
    input: StackInput;
    findings: Finding[];
    /** Per analyzed resource, one result per enabled resource policy; then the stack policy's. */
    results: PolicyResult[];
    scores: Scores;
    /** Remediations applied, in resource order (one entry per policy that changed a resource). */
    remediated: Remediated[];
}

export interface Evaluation {
    info: AnalyzerInfo;
    config: ResolvedConfig;
    stacks: StackResult[];
}

export function score(part: number, whole: number): Score {
    return { part, whole, percent: whole === 0 ? null : Math.round((part / whole) * 1000) / 10 };
}
