/**
 * The wire contract: every string the pack sends over the analyzer protocol that a reader must
 * recognise. The pack writes each through an encoder here, and the check command (and the tests)
 * read it back through the matching parser here, never by matching message text of their own.
 * tests/wire.test.ts checks every pair round-trip.
 *
 * - Diagnostics: a violation, or a note (something a policy cannot decide, reported as an
 *   advisory diagnostic whatever the policy's level). A note starts with `Cannot check:`, or
 *   `Cannot check during preview:` when the value becomes known at the update; a note on the
 *   pack's configuration starts with `Configuration:`.
 * - Not-applicable reasons: an applied exemption's reason names the exemption.
 * - Every message and reason is one line of at most 1,000 characters.
 */
import type { Unreadable } from "./values";

const MAX_MESSAGE = 1000;

/**
 * Why a part of a resource cannot be read: an unreadable value (`preview`, `sealed`), not valid
 * JSON (`invalid`), not valid JSON once an aws-native state machine's substitutions are applied
 * (`substituted`), or stored in Amazon S3 (`external`); `unrecorded`: AWS Config's items of the
 * resource do not hold it (the check command's records).
 */
export type UnreadableWhy = Unreadable | "invalid" | "substituted" | "external";

/** Why a definition cannot be read, worded once for the policies and the check command: "<path> <reason>". */
export const UNREADABLE_REASONS: Readonly<Record<UnreadableWhy, string>> = {
    preview: "is not known yet",
    invalid: "is not valid JSON",
    substituted: "is not valid JSON once its definitionSubstitutions are applied",
    external: "is stored in Amazon S3",
    sealed: "is a secret that could not be decrypted",
    unrecorded: "is not recorded by AWS Config",
};

/** A message or reason as the pack reports it: one line, at most 1,000 characters. */
export function oneLine(s: string): string {
    const t = s.replace(/[\r\n\t]+/g, " ");
    return t.length > MAX_MESSAGE ? t.slice(0, MAX_MESSAGE - 3) + "..." : t;
}

// ---------------------------------------------------------------------------------------------
// diagnostics

const PREVIEW_NOTE = "Cannot check during preview:";
const NOTE = "Cannot check:";
const CONFIGURATION = "Configuration:";

/**
 * What a diagnostic is: a violation of the policy, a note that it could not decide (`preview`:
 * not until the update), or a note on the pack's configuration.
 */
export type DiagnosticKind = "violation" | "note" | "preview-note" | "configuration";

/** A note's message: `Cannot check during preview: TEXT` (`preview`) or `Cannot check: TEXT`. */
export function noteMessage(preview: boolean, text: string): string {
    return `${preview ? PREVIEW_NOTE : NOTE} ${text}`;
}

/**
 * The note for something a policy cannot read: `subject` (e.g. `name: path`), why (worded once,
 * UNREADABLE_REASONS), then `consequence`. Only what is not known during preview says "during preview".
 */
export function unreadableNote(why: UnreadableWhy, subject: string, consequence: string): string {
    return noteMessage(why === "preview", `${subject} ${UNREADABLE_REASONS[why]}${consequence}`);
}

/** The note for a policy that met an error of its own (a bug): it never fails the preview. */
export function internalErrorNote(e: unknown): string {
    return noteMessage(false, `the policy met an internal error (${e instanceof Error ? e.name : typeof e}); please report it.`);
}

/**
 * A violation's message. Violations name their resource first; one whose resource is named like a
 * note (`Cannot check…`) is prefixed so that no reader can take it for one.
 */
export function violationMessage(text: string): string {
    return text.startsWith("Cannot check") || text.startsWith(CONFIGURATION) ? `Violation: ${text}` : text;
}

/**
 * A note on a policy's configuration: a setting the policy does not declare, which Pulumi passes
 * on without a word (it checks only the declared settings), so a typo would go unnoticed.
 */
export function unknownSettingNote(policy: string, key: string, hint: string): string {
    return `${CONFIGURATION} ${policy}: unknown setting ${JSON.stringify(key)}${hint}; the policy ignores it.`;
}

/** What kind of diagnostic a message the pack reported is. */
export function diagnosticKind(message: string): DiagnosticKind {
    return message.startsWith(PREVIEW_NOTE) ? "preview-note"
        : message.startsWith(NOTE) ? "note"
        : message.startsWith(CONFIGURATION) ? "configuration" : "violation";
}

// ---------------------------------------------------------------------------------------------
// exemptions

/** An exemption as configured: a logical name or URN pattern (`*` any characters), why, and the last day it applies. */
export interface Exemption {
    resource: string;
    reason: string;
    expires?: string;
}

const EXEMPTED = "Exempted";
const UNTIL = " until ";
const BY = " by ";

/**
 * The not-applicable reason of an applied exemption (one line): `Exempted until DATE by "PATTERN": REASON`,
 * or `Exempted by "PATTERN": REASON` for one that does not expire.
 */
export function exemptionReason(e: Exemption): string {
    return oneLine(`${EXEMPTED}${e.expires ? `${UNTIL}${e.expires}` : ""}${BY}${JSON.stringify(e.resource)}: ${e.reason}`);
}

/** The end of the JSON string that starts at `s[i]` (a `"`), just past its closing quote; -1 if it does not end. */
function jsonStringEnd(s: string, i: number): number {
    for (let j = i + 1; j < s.length; j++) {
        if (s[j] === "\\") {
            j++;
        } else if (s[j] === "\"") {
            return j + 1;
        }
    }
    return -1;
}

/**
 * The exemption a not-applicable reason says was applied, as exemptionReason wrote it (a reason
 * over 1,000 characters comes back shortened, as reported), or undefined for any other reason.
 */
export function parseExemptionReason(reason: string): Exemption | undefined {
    if (!reason.startsWith(EXEMPTED)) {
        return undefined;
    }
    let i = EXEMPTED.length;
    let expires: string | undefined;
    if (reason.startsWith(UNTIL, i)) {
        expires = reason.slice(i + UNTIL.length, i + UNTIL.length + 10);
        i += UNTIL.length + 10;
    }
    if (!reason.startsWith(BY, i) || reason[i + BY.length] !== "\"") {
        return undefined;
    }
    i += BY.length;
    const end = jsonStringEnd(reason, i);
    if (end < 0 || !reason.startsWith(": ", end)) {
        return undefined;
    }
    let resource: unknown;
    try {
        resource = JSON.parse(reason.slice(i, end));
    } catch {
        return undefined;
    }
    if (typeof resource !== "string") {
        return undefined;
    }
    const text = reason.slice(end + 2);
    return expires === undefined ? { resource, reason: text } : { resource, reason: text, expires };
}

// ---------------------------------------------------------------------------------------------
// stacks of AWS records

/**
 * The check command evaluates AWS's records (CloudTrail, describe-* outputs, AWS Config) as
 * pseudo-stacks that hold no network. It sends such a stack's root resource with a URN the
 * engine never sends: one whose project is empty (a Pulumi project always has a name, and a
 * program cannot choose its resources' URNs), so the stack policy can say that VPCs the records
 * do not hold cannot be judged (not applicable) instead of asking to declare them. Nothing a
 * program can set marks a stack so: not its outputs (exports become outputs of the root Stack
 * resource), tags or resource names.
 */
const RECORDS_NAME = "sagemaker-isolation-check-records";

/** The type of a stack's root resource (the stack policy's results are recorded on it). */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** How the URN of a records stack's root ends (after `urn:pulumi:<stack>`, with no project). */
const RECORDS_URN_END = `::::${STACK_TYPE}::${RECORDS_NAME}`;

/** The root resource of a stack of AWS records, as the check command sends it to AnalyzeStack. */
export function recordsStackRoot(stack: string): { type: string; name: string; urn: string; props: Record<string, unknown> } {
    return { type: STACK_TYPE, name: RECORDS_NAME, urn: `urn:pulumi:${stack}${RECORDS_URN_END}`, props: {} };
}

/** Whether a stack's resources are AWS records: its root resource has the URN only the check command sends. */
export function isRecordsStack(resources: readonly { type: string; urn: string }[]): boolean {
    for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        if (r.type === STACK_TYPE && r.urn.startsWith("urn:pulumi:") && r.urn.endsWith(RECORDS_URN_END) &&
            r.urn.indexOf("::") === r.urn.length - RECORDS_URN_END.length) {
            return true;
        }
    }
    return false;
}
