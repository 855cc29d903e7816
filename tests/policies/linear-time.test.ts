/**
 * Time linear in the input: the glob matcher, the exemption index and the substitution scans
 * agree with the simple (slow) implementations they replace, and their time per character
 * does not grow with the input's size on the shapes that made those quadratic.
 */
import * as assert from "assert";
import fc from "fast-check";
import { Automaton } from "../../policies/lib/automaton";
import { exemptionCandidates } from "../../policies/lib/exemptionIndex";
import { applyExemptions, invalidExemption } from "../../policies/lib/exemptions";
import { matches } from "../../policies/lib/glob";
import { Finding, notApplicable, Verdict } from "../../policies/lib/frame";
import { Exemption, exemptionReason } from "../../policies/wire";
import { UNKNOWN_SENTINEL } from "../../policies/lib/sentinels";
import { isObj, isSentinel, label, SEALED_STRING } from "../../policies/lib/values";
import { extract } from "../../policies/workloads";
import { Labeller } from "../../policies/workloads/documents";
import { sealedReference, substitute } from "../../policies/workloads/substitutions";

// ---- The implementations replaced, as they were: the oracles. ----

function oldMatches(pattern: string, subject: string): boolean {
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

function oldApplyExemptions(config: Record<string, unknown>, name: string, urn: string, findings: Finding[], now: string): Verdict {
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

const REFERENCE = /\$\{([^}]*)\}/g;
const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\$\{([^}"]*)\}(\s*:)?/g;
const UNKNOWN_TOKEN = JSON.stringify(UNKNOWN_SENTINEL);

function oldSubstitute(text: string, subs: unknown): { text: string; name?: Labeller; invalid: string } {
    const values = new Map<string, string>();
    const unknown = new Set<string>();
    const allUnknown = isSentinel(subs);
    if (isObj(subs)) {
        for (const [k, v] of Object.entries(subs)) {
            if (isSentinel(v)) {
                unknown.add(k);
            } else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
                values.set(k, String(v));
            }
        }
    }
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

function oldSealedReference(text: string, subs: unknown): string | undefined {
    if (subs === SEALED_STRING) {
        return "definitionSubstitutions";
    }
    const sealed = isObj(subs) ? Object.keys(subs).filter(k => subs[k] === SEALED_STRING) : [];
    const k = sealed.find(key => text.includes("${" + key + "}"));
    return k === undefined ? undefined : `definitionSubstitutions.${label(k)}`;
}

function oldUnsubstituted(used: Map<string, string>): Labeller {
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

// ---- Agreement on small inputs. ----

const SUBJECT = fc.string({ unit: fc.constantFrom("a", "b", ":", "ab", "aab"), maxLength: 16 });
const PATTERN = fc.string({ unit: fc.constantFrom("a", "b", ":", "*", "ab", "**"), maxLength: 12 });

/** Definition text made of the pieces the scans care about. */
const TEXT = fc.string({
    unit: fc.constantFrom("$", "{", "}", "\"", "\\", ":", " ", "\n", "\u2028", "a", "b", "x", "${", "${a}", "${b}", "${a${b}", "\"${a}\"", "\\\"", ",", "[", "]", "${x\"}"),
    maxLength: 24,
});
const VALUE = fc.oneof(
    fc.string({ unit: fc.constantFrom("$", "{", "}", "\"", "\\", "a", "b", "${a}", "${b}", "${", "\\\"", ":"), maxLength: 6 }),
    fc.constantFrom<unknown>(UNKNOWN_SENTINEL, SEALED_STRING, 1, true, null, "", "a", "\"q\"", "a\\\"b"),
);
const SUBS = fc.oneof(
    fc.dictionary(fc.constantFrom("a", "b", "x", "a${b", "x\"", "", "\\"), VALUE, { maxKeys: 4 }),
    fc.constant<unknown>(UNKNOWN_SENTINEL),
    fc.constant<unknown>(undefined),
);

/** The fastest of `runs` calls of `f`, in milliseconds. */
function fastest(runs: number, f: () => unknown): number {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        f();
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return best;
}

/**
 * Time per character of `f(size)` at 10k, 100k and 1M characters (the fastest of a few runs,
 * so that a busy machine does not fail it): at 1M no more than `factor` times that at 10k.
 */
function assertLinear(what: string, f: (size: number) => () => unknown, factor = 8): void {
    const perChar = new Map<number, number>();
    for (const size of [10_000, 100_000, 1_000_000]) {
        const run = f(size);
        run(); // warm-up
        const runs = size === 1_000_000 ? 3 : size === 100_000 ? 5 : 15;
        // Below the timer's resolution, time several calls at once.
        const repeat = size === 10_000 ? 10 : 1;
        perChar.set(size, fastest(runs, () => {
            for (let i = 0; i < repeat; i++) {
                run();
            }
        }) / repeat / size);
    }
    const ratio = perChar.get(1_000_000)! / perChar.get(10_000)!;
    assert.ok(ratio < factor, `${what}: ${(perChar.get(1_000_000)! * 1e6).toFixed(1)} ns/char at 1M vs ${(perChar.get(10_000)! * 1e6).toFixed(1)} ns/char at 10k (×${ratio.toFixed(1)})`);
}

const NSFN = "aws-native:stepfunctions:StateMachine";

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
            const value = fc.string({ unit: fc.constantFrom("${a}", "${b}", "${c}", "x", "$", "{", "}", "\"", "\\"), maxLength: 5 });
            fc.assert(fc.property(fc.string({ unit: fc.constantFrom("${a}", "${b}", "${c}", "\"", "x", "{", "$", "}"), maxLength: 12 }),
                fc.dictionary(keys, value), fc.array(fc.string({ unit: fc.constantFrom("x", "$", "{", "}", "\"", "\\", "a"), maxLength: 10 }), { maxLength: 3 }),
                (text, subs, ns) => {
                    const ours = substitute(text, subs);
                    const theirs = oldSubstitute(text, subs);
                    assert.deepStrictEqual([ours.text, ours.invalid], [theirs.text, theirs.invalid]);
                    for (const n of [...ns, ...Object.values(subs), ours.text]) {
                        assert.strictEqual(ours.name?.(n), theirs.name?.(n));
                    }
                }), { numRuns: 5000 });
        });

        it("substitution agrees where values double the text: past the bound it is unreadable, a last pass may still pass it", () => {
            const filler = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`d${i}`, "x"]));
            const chain: Record<string, string> = {};
            const outcomes: string[] = [];
            for (let i = 0; i < 19; i++) {
                chain[`c${i}`] = i === 18 ? "y".repeat(16) : `\${c${i + 1}}\${c${i + 1}}`;
            }
            for (const [text, subs] of [
                ["[\"${a}\"]", { a: "${a}${a}", ...filler }],
                ["[\"${c0}\"]", chain],
                ["[\"${c0}\"]", { ...chain, c18: "${c18}${c18}" }],
                ["[\"${a}\", \"${b}\"]", { a: "${b}", b: "${a}", ...filler }],
            ] as [string, Record<string, string>][]) {
                const ours = substitute(text, subs);
                const theirs = oldSubstitute(text, subs);
                assert.deepStrictEqual([ours.text.length, ours.invalid], [theirs.text.length, theirs.invalid], text);
                assert.ok(ours.text === theirs.text, text);
                outcomes.push(`${ours.invalid} ${ours.text.length}`);
            }
            // Doubling past the bound; a last pass past it (no value left to repeat); a chain
            // that doubles past it; a cycle that never ends (the bound stops it, here where it began).
            assert.deepStrictEqual(outcomes, ["substituted 0", "substituted 4194308", "substituted 0", "invalid 16"]);
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

    describe("time per character does not grow with the size", function () {
        this.timeout(60_000);

        it("substitution: `${` repeated, with values", () => {
            assertLinear("${ repeated", size => {
                const props = { definitionString: "${".repeat(size / 2), definitionSubstitutions: { a: "x" } };
                return () => extract(NSFN, props);
            });
        });

        it("substitution: an unterminated string of escaped quotes, with a value not known yet", () => {
            assertLinear("unterminated \\\"", size => {
                const props = { definitionString: "${u}\"" + "\\\"".repeat(size / 2), definitionSubstitutions: { u: UNKNOWN_SENTINEL } };
                return () => extract(NSFN, props);
            });
        });

        it("substitution: `${` repeated, the whole map not known yet", () => {
            assertLinear("${${ with the map unknown", size => {
                const props = { definitionString: "${".repeat(size / 2), definitionSubstitutions: UNKNOWN_SENTINEL };
                return () => extract(NSFN, props);
            });
        });

        it("substitution: sealed values and state names that hold many values", () => {
            assertLinear("sealed keys", size => {
                const subs: Record<string, string> = {};
                for (let i = 0; i < 200; i++) {
                    subs[`k${"a".repeat(i)}`] = SEALED_STRING;
                }
                const props = { definitionString: "${ka" + "a".repeat(size) + "}", definitionSubstitutions: subs };
                return () => extract(NSFN, props);
            });
            const values: Record<string, string> = {};
            for (let i = 0; i < 200; i++) {
                values[`k${i}`] = "a".repeat(i) + "b";
            }
            const name = substitute(Object.keys(values).map(k => "${" + k + "}").join(" "), values).name!;
            assertLinear("state names", size => {
                const s = "a".repeat(size);
                return () => name(s);
            });
        });

        it("glob: a pattern of many pieces against a long name", () => {
            assertLinear("glob", size => {
                const pattern = "*" + "a".repeat(2000) + "b*" + "a".repeat(2000) + "c";
                const subject = "a".repeat(size);
                return () => matches(pattern, subject);
            });
        });

        it("20k exemptions × 20k names through the index in about the time of a few scans", () => {
            const exemptions = Array.from({ length: 20_000 }, (_, i) => ({
                resource: i % 4 === 0 ? `model-${i}` : i % 4 === 1 ? `urn:pulumi:prod::ml::aws:sagemaker/model:Model::model-${i}*`
                    : i % 4 === 2 ? `*-${i}-legacy` : i % 8 === 3 ? `model-${i}-*` : `*-${i}*ml*`,
                reason: "r",
            }));
            const config = { exemptions };
            const findings = [{ message: "m" }];
            const t0 = process.hrtime.bigint();
            let exempted = 0;
            for (let i = 0; i < 20_000; i++) {
                const name = `model-${i * 7 + 1}`;
                const verdict = applyExemptions(config, name, `urn:pulumi:prod::ml::aws:sagemaker/model:Model::${name}`, findings);
                exempted += Array.isArray(verdict) ? 0 : 1;
            }
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            assert.ok(exempted > 0 && exempted < 20_000, String(exempted));
            // A scan of every entry for every name is 400 million matches: minutes, not this.
            assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
        });
    });
});
