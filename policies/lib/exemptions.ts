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
            expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Last day (YYYY-MM-DD, UTC) the exemption applies." },
        },
        required: ["resource", "reason"],
        additionalProperties: false,
    },
};

function isExemption(v: unknown): v is Exemption {
    const e = v as Exemption;
    return typeof v === "object" && v !== null && typeof e.resource === "string" && e.resource !== "" &&
        typeof e.reason === "string" && e.reason !== "" && (e.expires === undefined || typeof e.expires === "string");
}

function matches(pattern: string, subject: string): boolean {
    if (!pattern.includes("*")) {
        return pattern === subject;
    }
    const re = new RegExp("^" + pattern.split("*").map(p => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$", "s");
    return re.test(subject);
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
