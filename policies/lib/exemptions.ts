/**
 * Exemptions for the isolation policies: `{ resource, reason, expires }` entries in the
 * policy's configuration. `resource` matches a logical name or a URN (`*` is a wildcard);
 * after `expires` (a YYYY-MM-DD date, inclusive) the finding comes back and says so.
 * An applied exemption stays visible as an advisory note, so it can be audited.
 */
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { Finding } from "./policy";

export interface Exemption {
    resource: string;
    reason: string;
    expires?: string;
}

export const exemptionsSchema: PolicyConfigJSONSchema = {
    type: "array",
    description: "Resources exempted from this policy, each with a reason and an optional expiry date.",
    default: [],
    items: {
        type: "object",
        properties: {
            resource: { type: "string", minLength: 1, description: "Logical name or URN; * matches any characters." },
            reason: { type: "string", minLength: 1, description: "Why the resource is exempt (shown in reports)." },
            expires: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$", description: "Last day (YYYY-MM-DD, UTC) the exemption applies." },
        },
        required: ["resource", "reason"],
        additionalProperties: false,
    },
};

function isExemption(v: unknown): v is Exemption {
    const e = v as Exemption;
    return typeof v === "object" && v !== null && typeof e.resource === "string" && e.resource !== "" &&
        typeof e.reason === "string" && e.reason !== "" && (e.expires === undefined || (typeof e.expires === "string" && isDate(e.expires)));
}

/**
 * Whether `subject` matches `pattern`, where `*` stands for any characters. At worst
 * pattern × subject steps, never exponential like a backtracking regular expression: a glob
 * with many stars on a long URN must not stall a preview.
 */
export function matches(pattern: string, subject: string): boolean {
    let p = 0;
    let s = 0;
    let star = -1; // position in pattern after the last `*`
    let mark = 0; // position in subject that star currently covers up to
    while (s < subject.length) {
        if (p < pattern.length && pattern[p] !== "*" && pattern[p] === subject[s]) {
            p++;
            s++;
        } else if (p < pattern.length && pattern[p] === "*") {
            star = ++p;
            mark = s;
        } else if (star >= 0) {
            p = star;
            s = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.length && pattern[p] === "*") {
        p++;
    }
    return p === pattern.length;
}

/** A real calendar date written YYYY-MM-DD. */
function isDate(s: string): boolean {
    const d = new Date(`${s}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function today(): string {
    return new Date().toISOString().slice(0, 10);
}

/** Applies the configured exemptions of one resource to its findings (notes pass through). */
export function applyExemptions(config: Record<string, unknown>, name: string, urn: string, findings: Finding[],
    now: string = today()): Finding[] {
    const list = Array.isArray(config["exemptions"]) ? config["exemptions"].filter(isExemption) : [];
    const mine = list.filter(e => matches(e.resource, name) || matches(e.resource, urn));
    if (mine.length === 0 || findings.every(f => f.note)) {
        return findings;
    }
    const active = mine.find(e => e.expires === undefined || e.expires >= now);
    const expired = mine.find(e => e.expires !== undefined && e.expires < now);
    return findings.map(f => {
        if (f.note) {
            return f;
        }
        if (active) {
            const until = active.expires ? ` until ${active.expires}` : "";
            return { ...f, note: true, message: `Exempted${until} (reason: ${active.reason}): ${f.message}` };
        }
        return { ...f, message: `${f.message} (the exemption for this resource expired on ${expired!.expires})` };
    });
}
