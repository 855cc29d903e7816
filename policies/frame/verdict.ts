/** What a rule's check returns: findings, notes, or that the policy does not apply (the frame reports it). */

export interface Finding {
    message: string;
    /** `note`: something the rule cannot decide; reported as an advisory diagnostic whatever the policy's level. */
    note?: boolean;
    /** The resource a stack rule's finding is about. */
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

/** A note: something a check cannot decide (its message written by ../values/wire's note encoders). */
export function note(message: string): Finding {
    return { note: true, message };
}

/** What a rule returns: its findings (none: the subject passes), or that it does not apply. */
export type Verdict = Finding[] | NotApplicable;

export function notApplicable(reason: string): NotApplicable {
    return { notApplicable: reason };
}
