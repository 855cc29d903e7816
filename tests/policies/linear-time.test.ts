/**
 * Time linear in the input: the glob matcher, the exemption index and the substitution scans
 * agree with the simple (slow) implementations they replace, and their time per character
 * does not grow with the input's size on the shapes that made those quadratic.
 */
import * as assert from "assert";
import fc from "fast-check";
import { Automaton } from "../../policies/values/automaton";
import { exemptionCandidates } from "../../policies/frame/exemption-index";
import { applyExemptions, invalidExemption } from "../../policies/frame/exemptions";
import { matches } from "../../policies/values/glob";
import { Finding, notApplicable, Verdict } from "../../policies/frame/frame";
import { Exemption, exemptionReason } from "../../policies/values/wire";
import { UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import { isObj, isSentinel, label, SEALED_STRING } from "../../policies/values/values";
import { AWS_DOMAIN } from "../../policies/facts/images";
import { extract } from "../../policies/workloads";
import { isS3Uri } from "../../policies/workloads/api";
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

const OLD_S3_LOCATION = new RegExp(String.raw`^["'\s]*(?:s3:\/\/|https?:\/\/(?:[^/?#@\s]{0,253}\.)?s3(?:[.-][^/?#@\s]{0,253})?\.${AWS_DOMAIN}(?::\d+)?(?:[/?#"']|\s*$))`, "i");

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
const MIB = 1024 * 1024;

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

    describe("substitution where passes over the whole text would differ: cycles, growth, references formed where a value ends", () => {
        const unreadable = { text: "", invalid: "substituted" };
        const read = (text: string, subs: unknown) => {
            const r = substitute(text, subs);
            return { text: r.text, invalid: r.invalid };
        };
        /** `k0` … `k<n-1>`, each referring to the next one, the last one `last`. */
        const chain = (n: number, last: string, between = ""): Record<string, string> =>
            Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i === n - 1 ? last : `\${k${i + 1}}${between}`]));

        it("a circular substitution makes a definition that refers to it unreadable, however far along the cycle is", () => {
            assert.deepStrictEqual(read("[\"${a}\"]", { a: "${a}" }), unreadable);
            assert.deepStrictEqual(read("[\"${a}\"]", { a: "x${a}" }), unreadable);
            assert.deepStrictEqual(read("[\"${a}\"]", { a: "${a}${a}" }), unreadable);
            assert.deepStrictEqual(read("[\"${a}\", \"${b}\"]", { a: "${b}", b: "${a}" }), unreadable);
            assert.deepStrictEqual(read("[\"${c}\"]", { c: "${d}", d: "x${a}", a: "${b}", b: "${a}" }), unreadable);
            // Passes stopped at the bound on their number, and read what they had then.
            assert.deepStrictEqual(read("[\"${a}\"]", { a: "${a}" }).text === oldSubstitute("[\"${a}\"]", { a: "${a}" }).text, false);
            // A cycle the definition does not reach is not read.
            assert.deepStrictEqual(read("[\"${c}\"]", { c: "v${n}", n: null, a: "${b}", b: "${a}" }), { text: "[\"v${n}\"]", invalid: "substituted" });
            // 100,000 keys long: no stack to overflow, and each key's value written once.
            assert.deepStrictEqual(read("[\"${k0}\"]", chain(100_000, "end")), { text: "[\"end\"]", invalid: "substituted" });
            assert.deepStrictEqual(read("[\"${k0}\"]", chain(100_000, "end", "x")), { text: "[\"end" + "x".repeat(99_999) + "\"]", invalid: "substituted" });
            assert.deepStrictEqual(read("[\"${k0}\"]", chain(100_000, "${k0}")), unreadable);
        });

        it("past twice the text and 2 MiB it is unreadable, measured before any text is built, and nothing throws", () => {
            // 2^18 copies of 16 characters: 4 MiB, though no further pass would double it.
            assert.deepStrictEqual(read("[\"${k0}\"]", chain(19, "y".repeat(16), "${k1}")).text, "");
            const seven = read("[\"${k0}\"]", Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`k${i}`, i === 18 ? "y".repeat(7) : `\${k${i + 1}}\${k${i + 1}}`])));
            assert.strictEqual(seven.text.length, 4 + 7 * 2 ** 18);
            // Doubled a thousand times: measured, never built; doubled to nothing: nothing to build.
            const doubling = (last: string) => Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i === 1000 ? last : `\${k${i + 1}}\${k${i + 1}}`]));
            assert.deepStrictEqual(read("[\"${k0}\"]", doubling("y")), unreadable);
            assert.deepStrictEqual(read("[\"${k0}\"]", doubling("")), { text: "[\"\"]", invalid: "substituted" });
            // 1 MiB of `${a}` (2^18 references): up to 16 characters a value, it is 4 MiB, the bound.
            const text = "${a}".repeat(2 ** 18);
            assert.strictEqual(read(text, { a: "v".repeat(16) }).text.length, 4 * MIB);
            assert.deepStrictEqual(read(text, { a: "v".repeat(17) }), unreadable);
            assert.deepStrictEqual(extract(NSFN, { definitionString: text, definitionSubstitutions: { a: "v".repeat(4096) } }),
                { workloads: [], unreadable: [{ path: "definitionString", why: "substituted" }] });
        });

        it("a reference formed where a value meets the text around it is not followed: the definition is unreadable", () => {
            const subs = { a: "${", b: "x" };
            assert.deepStrictEqual(read("[\"${a}b}\"]", subs), unreadable);
            assert.strictEqual(oldSubstitute("[\"${a}b}\"]", subs).text, "[\"x\"]"); // passes over the whole text followed it
            assert.deepStrictEqual(read("[\"${a}${c}\"]", { ...subs, c: "b}" }), unreadable);
            assert.deepStrictEqual(read("[\"${d}\"]", { ...subs, c: "b}", d: "${a}${c}" }), unreadable);
            // To a key the map does not hold as text, it stays as written, as passes left it;
            // to a value not known yet, it reads as not known yet.
            assert.deepStrictEqual(read("[\"${a}z}\"]", subs), { text: "[\"${z}\"]", invalid: "substituted" });
            assert.deepStrictEqual(read("[\"${a}u}\"]", { ...subs, u: UNKNOWN_SENTINEL }), { text: `["${UNKNOWN_SENTINEL}"]`, invalid: "preview" });
            // A `${` near a value's end does not read on into the text after it (passes read
            // `${z${b}` as one reference to a key that is not there, and left `${b}` as written).
            assert.deepStrictEqual(read("[\"${q}${a}\"]", { q: "${z", a: "${b}", b: "v" }), { text: "[\"${zv\"]", invalid: "substituted" });
            assert.strictEqual(oldSubstitute("[\"${q}${a}\"]", { q: "${z", a: "${b}", b: "v" }).text, "[\"${z${b}\"]");
        });

        it("state names show each value as the key that gave it first, in the order passes met them", () => {
            // `${b}` is first met in the second pass, after `${a}` in the first.
            const { name } = substitute("${c}${a}", { c: "${b}", a: "x", b: "x" });
            assert.strictEqual(name?.("x"), "${a}");
            assert.strictEqual(name?.("x"), oldSubstitute("${c}${a}", { c: "${b}", a: "x", b: "x" }).name?.("x"));
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

        it("substitution: a cycle through many keys, a chain of them, and values past the bound", () => {
            // One key for every thousand characters: passes over the whole text took keys × text.
            for (const last of ["${k0}", "x"]) {
                assertLinear(last === "x" ? "a chain of keys" : "a cycle of keys", size => {
                    const n = size / 1000;
                    const subs = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i === n - 1 ? last : `\${k${i + 1}}`]));
                    const props = { definitionString: "${k0}".repeat(size / 5), definitionSubstitutions: subs };
                    return () => extract(NSFN, props);
                });
            }
            assertLinear("a 4 KiB value past the bound", size => {
                const props = { definitionString: "${a}".repeat(size / 4), definitionSubstitutions: { a: "v".repeat(4096) } };
                return () => extract(NSFN, props);
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
