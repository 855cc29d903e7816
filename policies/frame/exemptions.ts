/**
 * Exemptions, for every policy (the frame applies them): `{ resource, reason, expires }` entries in the
 * policy's configuration. `resource` matches a logical name or a URN (`*` is a wildcard);
 * `expires` is the last day (YYYY-MM-DD, UTC) it applies. An applied exemption is a
 * not-applicable result whose reason names the exemption (Pulumi Cloud scores it as neither
 * passed nor failed, and shows the reason); an expired one lets the finding through and the
 * finding says so. The schema rejects any entry the pack could not apply as written.
 */
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { Exemption, exemptionReason } from "../values/wire";
import { exemptionCandidates } from "./exemption-index";
import type { Finding, Verdict } from "./verdict";
import { matches } from "../values/glob";

export { matches } from "../values/glob";

/** Text with something other than white space in it. */
const NOT_BLANK = "\\S";

export const exemptionsSchema: PolicyConfigJSONSchema = {
    type: "array",
    description: "Resources exempted from this policy, each with a reason and an optional expiry date.",
    default: [],
    items: {
        type: "object",
        properties: {
            resource: { type: "string", minLength: 1, pattern: NOT_BLANK, description: "Logical name or URN; * matches any characters." },
            reason: { type: "string", minLength: 1, pattern: NOT_BLANK, description: "Why the resource is exempt (shown in the not-applicable result)." },
            expires: {
                type: "string", format: "date", pattern: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$",
                description: "Last day (YYYY-MM-DD, UTC) the exemption applies; a real calendar date.",
            },
        },
        required: ["resource", "reason"],
        additionalProperties: false,
    },
};

/** Why an entry cannot be applied as written, or undefined if it can. */
export function invalidExemption(v: unknown): string | undefined {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        return "is not an object";
    }
    const e = v as Record<string, unknown>;
    for (const k of ["resource", "reason"]) {
        if (typeof e[k] !== "string" || !/\S/.test(e[k])) {
            return `has no ${k}`;
        }
    }
    if (e["expires"] !== undefined && !(typeof e["expires"] === "string" && isDate(e["expires"]))) {
        return "has an expiry that is not a real YYYY-MM-DD date";
    }
    const unknown = Object.keys(e).find(k => k !== "resource" && k !== "reason" && k !== "expires");
    return unknown === undefined ? undefined : `has an unknown property "${unknown}"`;
}

/** A real calendar date written YYYY-MM-DD. */
function isDate(s: string): boolean {
    const d = new Date(`${s}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function today(): string {
    return new Date().toISOString().slice(0, 10);
}

/**
 * The verdict for one resource with `findings` (violations and notes): not applicable when an
 * exemption of the policy's configuration covers the resource today; else the findings, told
 * of an expired exemption or of an entry that matches but cannot be applied. A resource with no
 * findings passes whatever the exemptions say.
 */
export function applyExemptions(config: Record<string, unknown>, name: string, urn: string, findings: Finding[],
    date?: string): Verdict {
    const entries = Array.isArray(config["exemptions"]) ? config["exemptions"] as unknown[] : [];
    if (findings.length === 0 || entries.length === 0) {
        return findings;
    }
    const now = date ?? today(); // read only when there is an exemption to date
    let expired: Exemption | undefined;
    let invalid: string | undefined;
    for (const i of exemptionCandidates(entries, name, urn)) {
        const v = entries[i];
        const e = v as Exemption;
        if (typeof e?.resource !== "string" || !(matches(e.resource, name) || matches(e.resource, urn))) {
            continue;
        }
        const why = invalidExemption(v);
        if (why) {
            invalid ??= `exemption ${i + 1} (${JSON.stringify(e.resource)}) ${why}, so it was not applied`;
        } else if (e.expires === undefined || e.expires >= now) {
            return { notApplicable: exemptionReason(e) };
        } else {
            expired ??= e;
        }
    }
    const note = expired ? `the exemption ${JSON.stringify(expired.resource)} for this resource expired on ${expired.expires}` : invalid;
    return note ? findings.map(f => f.note ? f : { ...f, message: `${f.message} (${note})` }) : findings;
}

/** The logical name a URN ends with (`...::NAME`). */
function nameOf(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i < 0 ? urn : urn.slice(i + 2);
}

/**
 * A stack rule's findings with exemptions applied to the resources they are about: an exempted
 * resource's findings are dropped; when every finding was about an exempted resource the stack
 * policy does not apply, and says which exemption applied first.
 */
export function exemptStackFindings(config: Record<string, unknown>, findings: Finding[], date?: string): Verdict {
    const entries = config["exemptions"];
    // The date is read only when there is an exemption to date it against.
    const now = Array.isArray(entries) && entries.length > 0 && findings.length > 0 ? date ?? today() : undefined;
    const byUrn = new Map<string, Finding[]>();
    const out: Finding[] = [];
    for (const f of findings) {
        const list = f.urn ? byUrn.get(f.urn) : undefined;
        if (list) {
            list.push(f);
        } else if (f.urn) {
            byUrn.set(f.urn, [f]);
        } else {
            out.push(f);
        }
    }
    let exempted: string | undefined;
    for (const [urn, fs] of byUrn) {
        const v = applyExemptions(config, nameOf(urn), urn, fs, now);
        if (Array.isArray(v)) {
            out.push(...v);
        } else {
            exempted ??= v.notApplicable;
        }
    }
    return out.length === 0 && exempted !== undefined ? { notApplicable: exempted } : out;
}

/** The configuration entry that exempts the resource `name`, as a finding shows it (the way to accept the finding). */
export function exemptionSnippet(name: string): string {
    return `"exemptions": [{ "resource": ${JSON.stringify(name)}, "reason": "<why>", "expires": "<YYYY-MM-DD>" }]`;
}
