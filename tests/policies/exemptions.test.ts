import { modelNetworkIsolation, trainingNetworkIsolation } from "../rules";
import * as assert from "assert";
import fc from "fast-check";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { applyExemptions, exemptionsSchema, exemptStackFindings, invalidExemption, matches } from "../../policies/frame/exemptions";
import { exemptionReason } from "../../policies/values/wire";
import { analyze, analyzeResource, UNKNOWN_SENTINEL } from "../harness";

const MODEL = { type: "aws:sagemaker/model:Model", name: "legacy-model", props: { enableNetworkIsolation: false } };

describe("exemptions", () => {
    it("default (no exemptions): the violation stands", async () => {
        const d = await analyze(modelNetworkIsolation, MODEL, { exemptions: [] });
        assert.strictEqual(d.length, 1);
        assert.strictEqual(d[0].level, "advisory");
        assert.match(d[0].message, /^legacy-model: enableNetworkIsolation is not true/);
    });

    it("an exemption is a not-applicable result naming the exemption, not a diagnostic, even for a mandatory policy", async () => {
        const r = await analyzeResource({ ...modelNetworkIsolation, enforcementLevel: "mandatory" }, MODEL,
            { exemptions: [{ resource: "legacy-*", reason: "vendor licence check, ticket SEC-42", expires: "2999-03-31" }] });
        assert.deepStrictEqual(r.diagnostics, []);
        assert.deepStrictEqual(r.notApplicable, [{
            policyName: modelNetworkIsolation.name,
            reason: 'Exempted until 2999-03-31 by "legacy-*": vendor licence check, ticket SEC-42',
        }]);
        const forever = await analyzeResource(modelNetworkIsolation, MODEL, { exemptions: [{ resource: "legacy-model", reason: "r" }] });
        assert.deepStrictEqual(forever.notApplicable.map(x => x.reason), ['Exempted by "legacy-model": r']);
    });

    it("the reason the pack reports is exactly exemptionReason's, even for a reason over several lines", async () => {
        const e = { resource: "legacy-*", reason: "vendor licence check\n\tticket SEC-42 " + "x".repeat(1200) };
        const r = await analyzeResource(modelNetworkIsolation, MODEL, { exemptions: [e] });
        const reported = r.notApplicable.map(x => x.reason);
        assert.strictEqual(reported.length, 1);
        assert.ok(reported[0].startsWith('Exempted by "legacy-*": vendor licence check ticket SEC-42 xxx'), reported[0]);
        assert.ok(reported[0].endsWith("x..."));
        assert.strictEqual(reported[0].length, 1000);
        // What the check command compares a not-applicable reason with, to call it exempted.
        assert.strictEqual(exemptionReason(e), reported[0]);
    });

    it("matches URNs and wildcards", async () => {
        for (const resource of ["legacy-*", "urn:pulumi:test::project::aws:sagemaker/model:Model::legacy-model", "*::legacy-model", "*"]) {
            const r = await analyzeResource(modelNetworkIsolation, MODEL, { exemptions: [{ resource, reason: "r" }] });
            assert.deepStrictEqual(r.diagnostics, [], resource);
            assert.match(r.notApplicable[0].reason, /^Exempted by /, resource);
        }
        const other = await analyzeResource(modelNetworkIsolation, MODEL, { exemptions: [{ resource: "other-*", reason: "r" }] });
        assert.match(other.diagnostics[0].message, /^legacy-model:/);
        assert.deepStrictEqual(other.notApplicable, []);
    });

    it("a compliant resource passes whatever the exemptions say; a bucket stays not applicable for its own reason", async () => {
        const exemptions = [{ resource: "*", reason: "r" }];
        const ok = await analyzeResource(modelNetworkIsolation, { ...MODEL, props: { enableNetworkIsolation: true } }, { exemptions });
        assert.deepStrictEqual(ok, { diagnostics: [], notApplicable: [] });
        const bucket = await analyzeResource(modelNetworkIsolation, { type: "aws:s3/bucket:Bucket", name: "legacy-bucket", props: {} }, { exemptions });
        assert.doesNotMatch(bucket.notApplicable[0].reason, /Exempted/);
    });

    it("applies until its expiry date, inclusive, and says so once it has expired", () => {
        const finding = [{ message: "m: enableNetworkIsolation is not true" }];
        const cfg = { exemptions: [{ resource: "m", reason: "migration", expires: "2026-12-31" }] };
        assert.deepStrictEqual(applyExemptions(cfg, "m", "urn", finding, "2026-12-31"),
            { notApplicable: 'Exempted until 2026-12-31 by "m": migration' });
        assert.deepStrictEqual(applyExemptions(cfg, "m", "urn", finding, "2027-01-01"),
            [{ message: 'm: enableNetworkIsolation is not true (the exemption "m" for this resource expired on 2026-12-31)' }]);
    });

    it("an expired exemption brings the violation back through the SDK", async () => {
        const r = await analyzeResource(trainingNetworkIsolation, { type: "aws:sagemaker/trainingJob:TrainingJob", name: "t", props: {} },
            { exemptions: [{ resource: "t", reason: "old", expires: "2001-01-01" }] });
        assert.strictEqual(r.diagnostics.length, 1);
        assert.match(r.diagnostics[0].message, /expired on 2001-01-01\)$/);
        assert.deepStrictEqual(r.notApplicable, []);
    });

    it("an entry it cannot apply as written is never silently dropped: the finding says why", async () => {
        const cases: [unknown, RegExp][] = [
            [{ resource: "legacy-model" }, /exemption 1 \("legacy-model"\) has no reason, so it was not applied\)$/],
            [{ resource: "legacy-model", reason: "  " }, /has no reason/],
            [{ resource: "legacy-*", reason: "r", expires: "2999-02-30" }, /exemption 1 \("legacy-\*"\) has an expiry that is not a real YYYY-MM-DD date/],
            [{ resource: "legacy-model", reason: "r", until: "2999-01-01" }, /has an unknown property "until"/],
        ];
        for (const [entry, why] of cases) {
            const r = await analyzeResource(modelNetworkIsolation, MODEL, { exemptions: [entry] });
            assert.deepStrictEqual(r.notApplicable, []);
            assert.strictEqual(r.diagnostics.length, 1);
            assert.match(r.diagnostics[0].message, why);
        }
    });

    it("does not fail on entries of the wrong shape; one that matches the resource says why it was not applied", async () => {
        for (const exemptions of [[{ resource: 3, reason: "r" }], "nope", [null], [{ resource: "", reason: "r" }]]) {
            const d = await analyze(modelNetworkIsolation, MODEL, { exemptions });
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /^legacy-model: enableNetworkIsolation is not true, so the model runs with network access\. Set it to true\.$/);
        }
        const d = await analyze(modelNetworkIsolation, MODEL, { exemptions: [{ resource: "legacy-model", reason: 5 }] });
        assert.match(d[0].message, /\(exemption 1 \("legacy-model"\) has no reason, so it was not applied\)$/);
        assert.strictEqual(invalidExemption(null), "is not an object");
        assert.strictEqual(invalidExemption([]), "is not an object");
    });

    it("an expired exemption is named before an invalid one; notes are left as they are", () => {
        const cfg = { exemptions: [{ resource: "m", reason: "r", expires: "2026-02-30" }, { resource: "m*", reason: "old", expires: "2026-01-01" }, { resource: "*", reason: "older", expires: "2025-01-01" }] };
        assert.deepStrictEqual(applyExemptions(cfg, "m", "urn", [{ note: true, message: "n" }, { message: "v" }], "2027-01-01"),
            [{ note: true, message: "n" }, { message: 'v (the exemption "m*" for this resource expired on 2026-01-01)' }]);
    });

    it("covers the resource's preview notes too: an exempted resource is not judged at all", async () => {
        const r = await analyzeResource(modelNetworkIsolation, { ...MODEL, props: { enableNetworkIsolation: UNKNOWN_SENTINEL } },
            { exemptions: [{ resource: "*", reason: "r" }] });
        assert.deepStrictEqual(r.diagnostics, []);
        assert.deepStrictEqual(r.notApplicable.map(x => x.reason), ['Exempted by "*": r']);
    });

    it("the schema rejects what the pack could not apply: impossible dates, blank reasons, unknown keys", () => {
        const ajv = new Ajv({ strict: false });
        addFormats(ajv);
        const validate = ajv.compile(exemptionsSchema);
        assert.ok(validate([{ resource: "legacy-*", reason: "ticket SEC-42", expires: "2028-02-29" }]));
        for (const bad of [
            [{ resource: "m", reason: "r", expires: "2026-02-30" }], [{ resource: "m", reason: "r", expires: "2027-02-29" }],
            [{ resource: "m", reason: " " }], [{ resource: "", reason: "r" }], [{ resource: "m" }],
            [{ resource: "m", reason: "r", until: "2027-01-01" }],
        ]) {
            assert.ok(!validate(bad), JSON.stringify(bad));
            assert.ok(invalidExemption(bad[0]) !== undefined, JSON.stringify(bad));
        }
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


    describe("on a stack policy: per resource a finding names", () => {
        const urn = (n: string) => `urn:pulumi:prod::ml::aws:sagemaker/model:Model::${n}`;
        const findings = [
            { urn: urn("legacy-a"), message: "legacy-a: no endpoint" },
            { urn: urn("legacy-a"), message: "legacy-a: another" },
            { urn: urn("fresh"), message: "fresh: no endpoint" },
            { message: "about the stack itself" },
        ];
        const config = { exemptions: [{ resource: "legacy-*", reason: "moving VPCs, NET-7" }] };

        it("drops an exempted resource's findings, keeps the others and the stack's own", () => {
            assert.deepStrictEqual(exemptStackFindings(config, findings, "2026-12-05"), [findings[3], findings[2]]);
        });

        it("is not applicable, with the exemption's reason, when every finding was about an exempted resource", () => {
            assert.deepStrictEqual(exemptStackFindings(config, findings.slice(0, 2), "2026-12-05"),
                { notApplicable: exemptionReason(config.exemptions[0]) });
        });

        it("an expired exemption lets the findings through, saying so", () => {
            const expired = { exemptions: [{ ...config.exemptions[0], expires: "2026-01-31" }] };
            const v = exemptStackFindings(expired, findings.slice(0, 1), "2026-12-05");
            assert.ok(Array.isArray(v) && v.length === 1 && v[0].message.endsWith('(the exemption "legacy-*" for this resource expired on 2026-01-31)'), JSON.stringify(v));
        });
    });
});
