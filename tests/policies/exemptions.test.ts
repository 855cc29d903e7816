import * as assert from "assert";
import fc from "fast-check";
import { applyExemptions, matches } from "../../policies/lib/exemptions";
import { modelNetworkIsolation } from "../../policies/modelIsolation";
import { trainingNetworkIsolation } from "../../policies/trainingIsolation";
import { analyze, UNKNOWN } from "../harness";

const MODEL = { type: "aws:sagemaker/model:Model", name: "legacy-model", props: { enableNetworkIsolation: false } };

describe("exemptions", () => {
    it("default (no exemptions): the violation stands", async () => {
        const d = await analyze(modelNetworkIsolation, MODEL, { exemptions: [] });
        assert.strictEqual(d.length, 1);
        assert.strictEqual(d[0].level, "advisory");
        assert.match(d[0].message, /^legacy-model: enableNetworkIsolation is not true/);
    });

    it("an exemption without expiry turns the violation into an auditable advisory note, even for a mandatory policy", async () => {
        const d = await analyze({ ...modelNetworkIsolation, enforcementLevel: "mandatory" }, MODEL,
            { exemptions: [{ resource: "legacy-model", reason: "vendor container needs a licence server" }] });
        assert.strictEqual(d.length, 1);
        assert.strictEqual(d[0].level, "advisory");
        assert.match(d[0].message, /^Exempted \(reason: vendor container needs a licence server\): legacy-model: enableNetworkIsolation/);
    });

    it("matches URNs and wildcards", async () => {
        for (const resource of ["legacy-*", "urn:pulumi:test::project::aws:sagemaker/model:Model::legacy-model", "*::legacy-model", "*"]) {
            const d = await analyze(modelNetworkIsolation, MODEL, { exemptions: [{ resource, reason: "r" }] });
            assert.match(d[0].message, /^Exempted/, resource);
        }
        const other = await analyze(modelNetworkIsolation, MODEL, { exemptions: [{ resource: "other-*", reason: "r" }] });
        assert.match(other[0].message, /^legacy-model:/);
    });

    it("applies until its expiry date, inclusive, and says so once it has expired", () => {
        const finding = [{ message: "m: enableNetworkIsolation is not true" }];
        const cfg = { exemptions: [{ resource: "m", reason: "migration", expires: "2026-12-31" }] };
        assert.deepStrictEqual(applyExemptions(cfg, "m", "urn", finding, "2026-12-31"),
            [{ note: true, message: "Exempted until 2026-12-31 (reason: migration): m: enableNetworkIsolation is not true" }]);
        assert.deepStrictEqual(applyExemptions(cfg, "m", "urn", finding, "2027-01-01"),
            [{ message: "m: enableNetworkIsolation is not true (the exemption for this resource expired on 2026-12-31)" }]);
    });

    it("an expired exemption brings the violation back through the SDK", async () => {
        const d = await analyze(trainingNetworkIsolation, { type: "aws:sagemaker/trainingJob:TrainingJob", name: "t", props: {} },
            { exemptions: [{ resource: "t", reason: "old", expires: "2001-01-01" }] });
        assert.strictEqual(d.length, 1);
        assert.match(d[0].message, /expired on 2001-01-01\)$/);
    });

    it("ignores malformed entries (no reason, wrong types) instead of failing", async () => {
        for (const exemptions of [[{ resource: "legacy-model" }], [{ resource: 3, reason: "r" }], "nope", [null], [{ resource: "", reason: "r" }]]) {
            const d = await analyze(modelNetworkIsolation, MODEL, { exemptions });
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /^legacy-model:/);
        }
    });

    it("does not hide preview notes", async () => {
        const d = await analyze(modelNetworkIsolation, { ...MODEL, props: { enableNetworkIsolation: UNKNOWN } },
            { exemptions: [{ resource: "*", reason: "r" }] });
        assert.strictEqual(d.length, 1);
        assert.match(d[0].message, /^Cannot check during preview:/);
    });

    it("glob matching agrees with a regular expression, and stays fast on many stars", () => {
        const text = fc.string({ unit: fc.constantFrom("a", "b", ":", "*"), maxLength: 12 });
        fc.assert(fc.property(text, fc.string({ unit: fc.constantFrom("a", "b", ":"), maxLength: 16 }), (pattern, subject) => {
            const re = new RegExp("^" + pattern.split("*").map(p => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$", "s");
            return matches(pattern, subject) === re.test(subject);
        }), { numRuns: 2000 });
        const urn = "urn:pulumi:prod::ml::aws:sagemaker/model:Model::" + "a".repeat(5000);
        assert.strictEqual(matches("*a*a*a*a*a*a*a*a*a*a*b", urn), false); // exponential for a backtracking regex
    });

    it("an impossible expiry date does not exempt", async () => {
        const d = await analyze(modelNetworkIsolation, MODEL, { exemptions: [{ resource: "legacy-model", reason: "r", expires: "2999-02-30" }] });
        assert.match(d[0].message, /^legacy-model:/);
    });
});
