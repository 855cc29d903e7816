/**
 * Time linear in the input, part one: the glob matcher, the exemption index and the substitution
 * scans agree with the simple (slow) implementations they replace, on small generated inputs.
 * Part two (./linear-time.test.ts) measures that their time per character does not grow.
 */
import * as assert from "assert";
import fc from "fast-check";
import { Automaton } from "../../policies/values/automaton";
import { exemptionCandidates } from "../../policies/frame/exemption-index";
import { applyExemptions } from "../../policies/frame/exemptions";
import { matches } from "../../policies/values/glob";
import { UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import { isObj, isSentinel, SEALED_STRING } from "../../policies/values/values";
import { isS3Uri } from "../../policies/workloads/api";
import { sealedReference, substitute } from "../../policies/workloads/substitutions";

// ---- The implementations replaced, as they were: the oracles. ----

import { OLD_S3_LOCATION, oldApplyExemptions, oldMatches, oldSealedReference, oldSubstitute, REFERENCE } from "./old-scans";

// ---- Agreement on small inputs. ----

const SUBJECT = fc.string({ unit: fc.constantFrom("a", "b", ":", "ab", "aab"), maxLength: 16 });
const PATTERN = fc.string({ unit: fc.constantFrom("a", "b", ":", "*", "ab", "**"), maxLength: 12 });

/**
 * Whether no `$` comes right before a reference: one whose value is empty would join it to a `{`
 * after it (`$${e}{`), forming a `${` where a value meets the text around it.
 */
function apart(text: string): boolean {
    return !text.includes("$${");
}

/** Definition text made of the pieces the scans care about. */
const TEXT = fc.string({
    unit: fc.constantFrom("$", "{", "}", "\"", "\\", ":", " ", "\n", "\u2028", "a", "b", "x", "${", "${a}", "${b}", "${a${b}", "\"${a}\"", "\\\"", ",", "[", "]", "${x\"}"),
    maxLength: 24,
}).filter(apart);
/**
 * A value: references written whole, and no `$`, `{` or `}` otherwise, so that no reference forms
 * where a value meets what is around it (the one place the implementations differ by design).
 */
const VALUE = fc.oneof(
    fc.string({ unit: fc.constantFrom("\"", "\\", "a", "b", "${a}", "${b}", "${x}", "\\\"", ":"), maxLength: 6 }),
    fc.constantFrom<unknown>(UNKNOWN_SENTINEL, SEALED_STRING, 1, true, null, "", "a", "\"q\"", "a\\\"b"),
);

/** Whether no value of `subs` refers back to its key, directly or through others (a cycle is unreadable now). */
function acyclic(subs: unknown): boolean {
    if (!isObj(subs)) {
        return true;
    }
    const refs = (k: string): string[] => {
        const v = subs[k];
        return typeof v === "string" && !isSentinel(v) ? [...v.matchAll(REFERENCE)].map(m => m[1]).filter(r => Object.prototype.hasOwnProperty.call(subs, r)) : [];
    };
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
        refs(from).some(r => r === to || (!seen.has(r) && (seen.add(r), reaches(r, to, seen))));
    return Object.keys(subs).every(k => !reaches(k, k));
}

const SUBS = fc.oneof(
    fc.dictionary(fc.constantFrom("a", "b", "x", "a${b", "x\"", "", "\\"), VALUE, { maxKeys: 4 }).filter(acyclic),
    fc.constant<unknown>(UNKNOWN_SENTINEL),
    fc.constant<unknown>(undefined),
);

describe("time linear in the input", () => {
    describe("agrees with the implementations it replaces", () => {
        it("glob matching agrees with the old matcher and with a regular expression", () => {
            fc.assert(fc.property(PATTERN, SUBJECT, (pattern, subject) => {
                const re = new RegExp("^" + pattern.split("*").map(p => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$", "s");
                const m = matches(pattern, subject);
                return m === oldMatches(pattern, subject) && m === re.test(subject);
            }), { numRuns: 5000 });
        });

        it("the automaton finds what a search for each pattern finds, and the longest pattern at each place", () => {
            const ab = fc.string({ unit: fc.constantFrom("a", "b", "ab", "\u2028"), minLength: 1, maxLength: 6 });
            fc.assert(fc.property(fc.uniqueArray(ab, { maxLength: 8 }), fc.string({ unit: fc.constantFrom("a", "b", "\u2028"), maxLength: 20 }), (patterns, text) => {
                const forwards = new Automaton(patterns, false);
                for (let twice = 0; twice < 2; twice++) {
                    assert.deepStrictEqual(forwards.found(text).sort((x, y) => x - y), patterns.flatMap((p, i) => text.includes(p) ? [i] : []));
                }
                const longest = new Automaton(patterns, true).longestStarting(text);
                for (let i = 0; i < text.length; i++) {
                    const starting = patterns.map((p, k) => [p.length, k + 1]).filter(([, k]) => text.startsWith(patterns[k - 1], i));
                    assert.strictEqual(longest[i], starting.length === 0 ? 0 : starting.reduce((x, y) => y[0] > x[0] ? y : x)[1]);
                }
            }), { numRuns: 3000 });
        });

        it("the exemption index gives the entry a scan of the whole list gives", () => {
            const entry = fc.oneof(
                fc.record({ resource: PATTERN, reason: fc.constantFrom("r", " "), expires: fc.constantFrom(undefined, "2000-01-01", "2999-01-01") },
                    { requiredKeys: ["resource", "reason"] }),
                fc.constantFrom<unknown>(null, 3, "a*", { resource: 7, reason: "r" }, {}),
            );
            fc.assert(fc.property(fc.array(entry, { maxLength: 12 }), SUBJECT, SUBJECT, (entries, name, urn) => {
                const scan = entries.flatMap((e, i) => {
                    const r = (e as { resource?: unknown } | null)?.resource;
                    return typeof r === "string" && (oldMatches(r, name) || oldMatches(r, urn)) ? [i] : [];
                });
                const candidates = exemptionCandidates(entries, name, urn);
                assert.deepStrictEqual(candidates.filter(i => scan.includes(i)), scan);
                assert.deepStrictEqual([...candidates].sort((a, b) => a - b), candidates);
                assert.strictEqual(new Set(candidates).size, candidates.length);
                // The verdict is the one the loop over every entry gave.
                const findings = [{ message: "m" }, { message: "n", note: true }];
                assert.deepStrictEqual(applyExemptions({ exemptions: entries }, name, urn, findings, "2026-01-01"),
                    oldApplyExemptions({ exemptions: entries }, name, urn, findings, "2026-01-01"));
            }), { numRuns: 3000 });
        });

        it("the index follows a list that grew, and takes the first matching entry among thousands", () => {
            const entries: unknown[] = [{ resource: "other", reason: "r" }];
            const findings = [{ message: "m" }];
            assert.ok(Array.isArray(applyExemptions({ exemptions: entries }, "m", "urn:x::m", findings)));
            entries.push({ resource: "*::m", reason: "late" });
            assert.deepStrictEqual(applyExemptions({ exemptions: entries }, "m", "urn:x::m", findings), { notApplicable: 'Exempted by "*::m": late' });
            const many = Array.from({ length: 5000 }, (_, i) => ({ resource: `urn:x::m${i}*`, reason: `r${i}` }));
            many.push({ resource: "*m4999*", reason: "everywhere" }, { resource: "urn:x::m4999", reason: "exact" });
            assert.deepStrictEqual(applyExemptions({ exemptions: many }, "m", "urn:x::m4999", findings), { notApplicable: 'Exempted by "urn:x::m4*": r4' });
            assert.deepStrictEqual(applyExemptions({ exemptions: many.slice(5000) }, "m", "urn:x::m4999", findings), { notApplicable: 'Exempted by "*m4999*": everywhere' });
        });

        it("substitution agrees with the regular-expression implementation", () => {
            const names = fc.array(fc.oneof(TEXT, fc.constantFrom<unknown>(3, undefined, "a", "${a}", "a\"b", "\"q\"")), { maxLength: 4 });
            fc.assert(fc.property(TEXT, SUBS, names, (text, subs, ns) => {
                const ours = substitute(text, subs);
                const theirs = oldSubstitute(text, subs);
                assert.strictEqual(ours.text, theirs.text);
                assert.strictEqual(ours.invalid, theirs.invalid);
                assert.strictEqual(ours.name === undefined, theirs.name === undefined);
                for (const n of [...ns, text]) {
                    assert.strictEqual(ours.name?.(n), theirs.name?.(n));
                }
                assert.strictEqual(sealedReference(text, subs), oldSealedReference(text, subs));
            }), { numRuns: 20000 });
        });

        it("substitution agrees on values that refer to one another, and on names made of the values", () => {
            const keys = fc.constantFrom("a", "b", "c");
            const value = fc.string({ unit: fc.constantFrom("${a}", "${b}", "${c}", "x", "\"", "\\"), maxLength: 5 });
            fc.assert(fc.property(fc.string({ unit: fc.constantFrom("${a}", "${b}", "${c}", "\"", "x", "{", "$", "}"), maxLength: 12 }).filter(apart),
                fc.dictionary(keys, value).filter(acyclic), fc.array(fc.string({ unit: fc.constantFrom("x", "$", "{", "}", "\"", "\\", "a"), maxLength: 10 }), { maxLength: 3 }),
                (text, subs, ns) => {
                    const ours = substitute(text, subs);
                    const theirs = oldSubstitute(text, subs);
                    assert.deepStrictEqual([ours.text, ours.invalid], [theirs.text, theirs.invalid]);
                    for (const n of [...ns, ...Object.values(subs), ours.text]) {
                        assert.strictEqual(ours.name?.(n), theirs.name?.(n));
                    }
                }), { numRuns: 5000 });
        });

        it("an S3 location is what the regular expression it replaces (`\\s*$`, not `$` after trimming) finds", () => {
            const unit = fc.constantFrom("https://", "http://", "s3://", "S3", "s3", ".", "-", "amazonaws.com", ".cn", "c2s.ic.gov", ":", "1", "/", "?",
                "#", "@", "\"", "'", "x", " ", "\n", "\u3000", "\u2028", "\ufeff");
            fc.assert(fc.property(fc.string({ unit, maxLength: 14 }), v => isS3Uri(v) === OLD_S3_LOCATION.test(v)), { numRuns: 20000 });
            for (const v of ["https://s3.amazonaws.com \n", "https://b.s3.eu-west-1.amazonaws.com:443\u3000", "https://s3.amazonaws.com x", " s3://b "]) {
                assert.strictEqual(isS3Uri(v), OLD_S3_LOCATION.test(v), JSON.stringify(v));
            }
        });

        it("reads `\\s` and `.` as a regular expression does", () => {
            // The token scanner's white space before an object key's colon, and the characters an
            // escape may not take, checked against the regular expression for every code unit.
            for (let c = 0; c < 0x10000; c++) {
                const ch = String.fromCharCode(c);
                const text = "\"${u}\\" + ch + "\"" + ch + ":${u}" + ch + ":\"\\" + ch + "${u}\"";
                const subs = { u: UNKNOWN_SENTINEL };
                assert.strictEqual(substitute(text, subs).text, oldSubstitute(text, subs).text, `U+${c.toString(16)}`);
            }
        });
    });
});
