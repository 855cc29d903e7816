/** The check command's streaming reader (cli/inputs/stream.ts) against JSON.parse. */
import * as assert from "assert";
import fc from "fast-check";
import { JsonError, JsonScanner } from "../../cli/inputs/stream";

/** Scans `text` given in chunks of `chunk` bytes: the elements of the targets, and the scan's result. */
function scanText(text: string | Buffer, targets: string[], chunk: number) {
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    const got: unknown[][] = targets.map(() => []);
    const scanner = new JsonScanner(targets, (v, t, i) => { assert.strictEqual(i, got[t].length); got[t].push(v); });
    for (let i = 0; i < bytes.length; i += chunk) {
        scanner.push(bytes.subarray(i, i + chunk));
    }
    return { got, result: scanner.end() };
}

describe("streaming JSON reader (cli/inputs/stream.ts)", () => {
    it("gives the elements of the chosen arrays exactly as JSON.parse, whatever the chunk size and spacing", () => {
        const doc = fc.record({
            version: fc.jsonValue(),
            deployment: fc.record({ manifest: fc.jsonValue(), resources: fc.array(fc.jsonValue(), { maxLength: 8 }) }),
            steps: fc.array(fc.jsonValue(), { maxLength: 5 }),
            "weird \"key\" \\ ]}": fc.jsonValue(),
        });
        fc.assert(fc.property(doc, fc.integer({ min: 1, max: 64 }), fc.constantFrom(0, 1, 4), (d, chunk, indent) => {
            const text = JSON.stringify(d, null, indent);
            const { got, result } = scanText(text, ["deployment.resources", "steps"], chunk);
            const parsed = JSON.parse(text);
            assert.deepStrictEqual(got, [parsed.deployment.resources, parsed.steps]);
            // The kinds of the members of the top object and of its objects.
            const kind = (v: unknown) => v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : "other";
            const expected = new Map<string, string>();
            for (const [k, v] of Object.entries(parsed)) {
                expected.set(JSON.stringify([k]), kind(v));
                if (kind(v) === "object") {
                    for (const [k2, v2] of Object.entries(v as object)) {
                        expected.set(JSON.stringify([k, k2]), kind(v2));
                    }
                }
            }
            assert.deepStrictEqual(new Map([...result.members].sort()), new Map([...expected].sort()));
        }), { numRuns: 300 });
    });

    it("does not take arrays inside elements, or arrays elsewhere, for the chosen ones", () => {
        const text = JSON.stringify({ a: { resources: [1] }, deployment: { x: { resources: [2] }, resources: [{ deployment: { resources: [3] } }, [4, [5]], "s,]", null] } });
        assert.deepStrictEqual(scanText(text, ["deployment.resources"], 3).got, [[{ deployment: { resources: [3] } }, [4, [5]], "s,]", null]]);
    });

    it("multi-byte characters across chunk boundaries, and a byte order mark", () => {
        const text = "\uFEFF" + JSON.stringify({ steps: [{ name: "✓ ä 𝄞 日本" }, "𝄞"] });
        for (let chunk = 1; chunk < 8; chunk++) {
            assert.deepStrictEqual(scanText(Buffer.from(text, "utf8"), ["steps"], chunk).got, [[{ name: "✓ ä 𝄞 日本" }, "𝄞"]]);
        }
    });

    it("malformed JSON: a JsonError, never a wrong element", () => {
        for (const bad of ['{"ba\\d": 1}', '{"steps": [1, 2', '{"steps": [{"a": 1]}', "urn:pulumi:dev::p::t::n\n{", '{"steps": [tru]}', '{"a": 1} 2', "", '{"a": "x',
            '{"steps": [1], "x": tru}', '{"steps": []], "x": 1}', '{"steps": [] "x": 1}', '{"a": 01}', '{"a": "\\u12"}', '{"a": [1,]}', "\uFEFF\uFEFF{}"]) {
            assert.throws(() => scanText(bad, ["steps"], 4), JsonError, bad);
        }
    });
});
