/** The check command's streaming reader (cli/inputs/stream.ts) against JSON.parse. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { JsonError, scanJsonFile } from "../../cli/inputs/stream";

let dir: string;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "stream-")); });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function scanText(text: string | Buffer, targets: string[], chunk: number) {
    const file = path.join(dir, "doc.json");
    fs.writeFileSync(file, text);
    const got: unknown[][] = targets.map(() => []);
    const r = scanJsonFile(file, targets, (v, t, i) => { assert.strictEqual(i, got[t].length); got[t].push(v); }, chunk);
    return { got, members: r.members };
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
            const { got, members } = scanText(text, ["deployment.resources", "steps"], chunk);
            const parsed = JSON.parse(text);
            assert.deepStrictEqual(got, [parsed.deployment.resources, parsed.steps]);
            // The kinds of the members of the top object and of its objects.
            const kind = (v: unknown) => v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : "other";
            const expected = new Map<string, string>();
            for (const [k, v] of Object.entries(parsed)) {
                expected.set(k, kind(v));
                if (kind(v) === "object") {
                    for (const [k2, v2] of Object.entries(v as object)) {
                        expected.set(`${k}.${k2}`, kind(v2));
                    }
                }
            }
            assert.deepStrictEqual(new Map([...members].sort()), new Map([...expected].sort()));
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
        for (const bad of ['{"ba\\d": 1}', '{"steps": [1, 2', '{"steps": [{"a": 1]}', "urn:pulumi:dev::p::t::n\n{", '{"steps": [tru]}', '{"a": 1} {"b": 2}', "", '{"a": "x']) {
            assert.throws(() => scanText(bad, ["steps"], 4), JsonError, bad);
        }
    });
});
