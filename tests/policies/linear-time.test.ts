/**
 * Time linear in the input, part two: substitution where passes over the whole text would differ
 * (cycles, growth, references formed where a value ends), and the time per character of the
 * scans, which does not grow with the input's size on the shapes that made them quadratic.
 */
import * as assert from "assert";
import { applyExemptions } from "../../policies/frame/exemptions";
import { matches } from "../../policies/values/glob";
import { UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import { SEALED_STRING } from "../../policies/values/values";
import { extract } from "../../policies/workloads";
import { substitute } from "../../policies/workloads/substitutions";
import { oldSubstitute } from "./old-scans";

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
 * Time per character of `f(size)` at 10k, 100k and 1M characters (the fastest of a few runs):
 * at 1M no more than `factor` times the larger of the other two. A quadratic scan is ten times
 * slower per character at 1M than at 100k (a hundred times than at 10k); a linear one is about
 * as fast, a little slower once its data no longer fits the processor's caches (10k often does).
 * A busy machine can slow one measurement by a few times, so a ratio over `factor` is measured
 * again (up to three times, keeping each size's fastest) before it fails.
 */
function assertLinear(what: string, f: (size: number) => () => unknown, factor = 8): void {
    const perChar = new Map<number, number>();
    let ratio = Infinity;
    for (let attempt = 0; attempt < 3 && ratio >= factor; attempt++) {
        for (const size of [10_000, 100_000, 1_000_000]) {
            const run = f(size);
            run(); // warm-up
            const runs = size === 1_000_000 ? 3 : size === 100_000 ? 5 : 15;
            // Below the timer's resolution, time several calls at once.
            const repeat = size === 10_000 ? 10 : 1;
            const t = fastest(runs, () => {
                for (let i = 0; i < repeat; i++) {
                    run();
                }
            }) / repeat / size;
            perChar.set(size, Math.min(perChar.get(size) ?? Infinity, t));
        }
        ratio = perChar.get(1_000_000)! / Math.max(perChar.get(10_000)!, perChar.get(100_000)!);
    }
    const ns = (size: number) => `${(perChar.get(size)! * 1e6).toFixed(1)} ns/char`;
    assert.ok(ratio < factor, `${what}: ${ns(1_000_000)} at 1M vs ${ns(100_000)} at 100k and ${ns(10_000)} at 10k (×${ratio.toFixed(1)})`);
}

const NSFN = "aws-native:stepfunctions:StateMachine";
const MIB = 1024 * 1024;

describe("time linear in the input", () => {
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
