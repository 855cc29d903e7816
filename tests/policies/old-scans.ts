/**
 * The simple (slow) implementations the linear-time scans replaced, kept to test that the new ones
 * agree with them (./linear-agreement.test.ts) and to measure them against (./linear-time.test.ts).
 */
import { invalidExemption } from "../../policies/frame/exemptions";
import { Finding, notApplicable, Verdict } from "../../policies/frame/frame";
import { Exemption, exemptionReason } from "../../policies/values/wire";
import { UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import { isObj, label, SEALED_STRING } from "../../policies/values/values";
import { AWS_DOMAIN } from "../../policies/facts/images";
import { Labeller } from "../../policies/workloads/documents";
import { substitutionValues } from "../../policies/workloads/substitutions";

// ---- The implementations replaced, as they were: the oracles. ----

export function oldMatches(pattern: string, subject: string): boolean {
    let p = 0;
    let s = 0;
    let star = -1;
    let mark = 0;
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

export function oldApplyExemptions(config: Record<string, unknown>, name: string, urn: string, findings: Finding[], now: string): Verdict {
    const entries = Array.isArray(config["exemptions"]) ? config["exemptions"] as unknown[] : [];
    if (findings.length === 0 || entries.length === 0) {
        return findings;
    }
    let expired: Exemption | undefined;
    let invalid: string | undefined;
    for (const [i, v] of entries.entries()) {
        const e = v as Exemption;
        if (typeof e?.resource !== "string" || !(oldMatches(e.resource, name) || oldMatches(e.resource, urn))) {
            continue;
        }
        const why = invalidExemption(v);
        if (why) {
            invalid ??= `exemption ${i + 1} (${JSON.stringify(e.resource)}) ${why}, so it was not applied`;
        } else if (e.expires === undefined || e.expires >= now) {
            return notApplicable(exemptionReason(e));
        } else {
            expired ??= e;
        }
    }
    const note = expired ? `the exemption ${JSON.stringify(expired.resource)} for this resource expired on ${expired.expires}` : invalid;
    return note ? findings.map(f => f.note ? f : { ...f, message: `${f.message} (${note})` }) : findings;
}

export const REFERENCE = /\$\{([^}]*)\}/g;
export const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\$\{([^}"]*)\}(\s*:)?/g;
export const UNKNOWN_TOKEN = JSON.stringify(UNKNOWN_SENTINEL);

export function oldSubstitute(text: string, subs: unknown): { text: string; name?: Labeller; invalid: string } {
    // Reading the map is shared with the scan it is compared with: the passes below are the oracle.
    const { values, unknown, allUnknown } = substitutionValues(subs);
    const used = new Map<string, string>();
    let out = text;
    const limit = 2 * text.length + 2 * 1024 * 1024;
    for (let pass = 0, again = values.size > 0; again && pass <= values.size; pass++) {
        if (out.length > limit) {
            return { text: "", invalid: "substituted" };
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
        name: used.size === 0 ? undefined : oldUnsubstituted(used),
        invalid: placed ? "preview" : out === text ? "invalid" : "substituted",
    };
}

export const OLD_S3_LOCATION = new RegExp(String.raw`^["'\s]*(?:s3:\/\/|https?:\/\/(?:[^/?#@\s]{0,253}\.)?s3(?:[.-][^/?#@\s]{0,253})?\.${AWS_DOMAIN}(?::\d+)?(?:[/?#"']|\s*$))`, "i");

export function oldSealedReference(text: string, subs: unknown): string | undefined {
    if (subs === SEALED_STRING) {
        return "definitionSubstitutions";
    }
    const sealed = isObj(subs) ? Object.keys(subs).filter(k => subs[k] === SEALED_STRING) : [];
    const k = sealed.find(key => text.includes("${" + key + "}"));
    return k === undefined ? undefined : `definitionSubstitutions.${label(k)}`;
}

export function oldUnsubstituted(used: Map<string, string>): Labeller {
    const forms = new Map(used);
    for (const [v, k] of used) {
        try {
            const decoded: unknown = JSON.parse(`"${v}"`);
            if (typeof decoded === "string" && decoded !== "" && !forms.has(decoded)) {
                forms.set(decoded, k);
            }
        } catch {
            // not valid inside a JSON string
        }
    }
    const values = [...forms.keys()].sort((a, b) => b.length - a.length);
    const re = new RegExp(values.map(v => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
    return s => label(typeof s === "string" ? s.replace(re, m => "${" + forms.get(m) + "}") : s);
}
