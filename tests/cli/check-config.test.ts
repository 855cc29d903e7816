/**
 * The check command's configuration (cli/engine/config.ts): levels, "all", exemptions,
 * remediation, and what Pulumi would reject, through the command and directly.
 */
import * as assert from "assert";
import { resolveConfig } from "../../cli/engine/config";
import { AnalyzerInfo } from "../../cli/engine/client";
import { UsageError } from "../../cli/inputs/types";
import { exemptionsSchema } from "../../policies/frame/exemptions";
import { IN_VPC, MARKETPLACE, MODEL, PROCESSING, VPC_ENDPOINTS } from "../rules";
import { run } from "./run";
import { ALL_RESOURCE_POLICIES, assertUsageError, exportOf, tempFolder } from "./check-common";
import { expectAuditRow, JsonFinding, resourceOf, scoreLine, scoresOf } from "./check-results";

const VENDOR_SENTIMENT = resourceOf(exportOf("marketplace-model"), "vendor-sentiment", "aws:sagemaker/model:Model");

describe("check command: configuration (cli/engine/config.ts)", function () {
    this.timeout(120000);
    const { write: writeTmp } = tempFolder();

    describe("configuration", () => {
        it("200,000 exemptions that exempted nothing: a bounded warning, naming the first by index and pattern and counting the rest (issue 23, case 10)", async () => {
            const unused = Array.from({ length: 200000 }, (_, i) => ({ resource: `gone-model-${i}`, reason: "decommissioned" }));
            const config = writeTmp("many-exemptions.json", { [MODEL]: { exemptions: [{ resource: "vendor-*", reason: "used" }, ...unused] } });
            const r = await run(["--config", config, exportOf("marketplace-model")]);
            assert.ok(r.code === 0 || r.code === 1, r.stderr);
            const warnings = r.stderr.split("\n").filter(l => l.includes("warning:"));
            assert.ok(warnings.length <= 25, `${warnings.length} warning lines`);
            assert.match(warnings[0], new RegExp(String.raw`${MODEL}: exemptions\[1\] \("gone-model-0"\) exempted no resource`));
            assert.strictEqual(warnings.filter(w => w.includes("exempted no resource: no resource with a finding")).length, 20);
            assert.ok(warnings.some(w => w.endsWith(`${MODEL}: and 199,980 more exemptions (200,000 in all) exempted no resource`)), r.stderr.slice(-2000));
            assert.ok(!r.stderr.includes("gone-model-20\""), "the 21st is counted, not named");
        });

        it("levels, \"all\" and exemptions, as for pulumi preview --policy-pack-config", async () => {
            const config = writeTmp("config.json", {
                all: "mandatory",
                [MARKETPLACE]: "advisory",
                [MODEL]: { exemptions: [{ resource: "vendor-*", reason: "vendor evaluation, PLAT-42" }] },
            });
            const r = await run(["--config", config, "--format", "markdown", exportOf("marketplace-model"), exportOf("training-pipeline")]);
            assert.strictEqual(r.code, 1, r.stderr);
            const md = r.stdout;
            // "all" made the processing policy mandatory; the Marketplace policy is advisory by name.
            assert.match(md, new RegExp(String.raw`\| \*\*mandatory\*\* \| \`${PROCESSING}\` \| \`churn-training\` \|`));
            assert.match(md, new RegExp(String.raw`\| advisory \| \`${MARKETPLACE}\` \| \`vendor-sentiment\` \|`));
            // The exemption is a not-applicable result: listed in its own section, not among the findings.
            assert.match(md, new RegExp(String.raw`### Exemptions\n\n\| Policy \| Resource \| Exemption \| Reason \| Expires \|\n\|---\|---\|---\|---\|---\|\n\| \`${MODEL}\` \| \`vendor-sentiment\` \| \`vendor-\*\` \| vendor evaluation, PLAT-42 \| never \|`));
            // "all" turned on the policy disabled by default too: the model has no VpcConfig.
            expectAuditRow(md, "vendor-sentiment", VENDOR_SENTIMENT, { [MODEL]: "exempted", [MARKETPLACE]: "**failed**", [IN_VPC]: "**failed**" }, ALL_RESOURCE_POLICIES);
            assert.ok(!new RegExp(String.raw`\| \`${MODEL}\` \| \`vendor-sentiment\` \| vendor-sentiment:`).test(md), "no finding for the exempted policy");
            assert.match(md, new RegExp(String.raw`\| \`${MODEL}\` \| resource \| mandatory \|`));
        });

        it("a setting that does not match the pack's schema: exit 2, one line naming the file and the problem", async () => {
            const config = writeTmp("bad-config.json", { [VPC_ENDPOINTS]: { requiredServices: "s3" } });
            assertUsageError(await run(["--config", config, exportOf("isolated-model")]), config,
                new RegExp(String.raw`${VPC_ENDPOINTS}: requiredServices must be array$`));
        });

        it("an unknown setting (a typo): exit 2, one line naming the file, the policy, the setting and the closest valid one", async () => {
            const config = writeTmp("unknown-setting.json", { [VPC_ENDPOINTS]: { requiredService: ["s3"] } });
            assertUsageError(await run(["--config", config, exportOf("isolated-model")]), config,
                new RegExp(String.raw`${VPC_ENDPOINTS}: unknown setting "requiredService" \(did you mean "requiredServices"\?\)$`));
            const level = writeTmp("level-typo.json", { [MODEL]: { enforcementlevel: "mandatory" } });
            assertUsageError(await run(["--config", level, exportOf("isolated-model")]), level,
                new RegExp(String.raw`${MODEL}: unknown setting "enforcementlevel" \(did you mean "enforcementLevel"\?\)$`));
        });

        it("level remediate: remediated inputs are analyzed, as pulumi preview does (config/remediate.json)", async () => {
            // The model policy turns enableNetworkIsolation on before Analyze, so the Marketplace
            // policy (mandatory) has nothing to report, and nothing is left to fail on.
            const r = await run(["--config", "config/remediate.json", exportOf("marketplace-model")]);
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            assert.strictEqual(r.stderr, "");
            const j = await run(["--config", "config/remediate.json", "--format", "json", exportOf("marketplace-model")]);
            assert.strictEqual(j.code, 0, j.stderr);
            const doc = JSON.parse(j.stdout);
            // The two policies about the model find nothing left; the counts and scores are those of the results.
            const findings = doc.stacks[0].findings as JsonFinding[];
            assert.deepStrictEqual(findings.filter(f => [MODEL, MARKETPLACE].includes(f.policyName)), []);
            const advisory = findings.filter(f => f.level === "advisory").length;
            assert.deepStrictEqual(doc.summary, { mandatory: 0, advisory, exempted: 0, remediated: 1, failed: false, scores: scoresOf(doc.stacks[0].results) });
            assert.match(r.stdout, new RegExp(String.raw`^ {2}4 resources: 0 mandatory, ${advisory} advisory, 0 exempted, 1 remediated$`, "m"));
            const block = String.raw`\n {2}vendor-sentiment {2}\(aws:sagemaker\/model:Model\)\n(?: {4}.*\n)*`;
            assert.match(r.stdout, new RegExp(String.raw`${block} {4}remediated {6}${MODEL} +inputs changed by this policy's remediation`));
            assert.match(r.stdout, new RegExp(String.raw`${block} {4}passed {10}${MODEL}\n`));
            assert.match(r.stdout, new RegExp(String.raw`${block} {4}passed {10}${MARKETPLACE}\n`));
            assert.ok(r.stdout.endsWith(`1 remediated. ${scoreLine(doc.summary.scores, true)}. Passed: no mandatory policy violations.\n`), r.stdout);
            assert.deepStrictEqual(doc.stacks[0].remediated, [{
                policyName: MODEL,
                urn: "urn:pulumi:dev::marketplace-model::aws:sagemaker/model:Model::vendor-sentiment",
                resourceName: "vendor-sentiment", resourceType: "aws:sagemaker/model:Model",
            }]);

            const m = await run(["--config", "config/remediate.json", "--format", "markdown", exportOf("marketplace-model")]);
            assert.strictEqual(m.code, 0, m.stderr);
            expectAuditRow(m.stdout, "vendor-sentiment", VENDOR_SENTIMENT, { [MODEL]: "passed (remediated)", [MARKETPLACE]: "passed" });
            assert.match(m.stdout, new RegExp(String.raw`### Remediations\n\n\| Policy \| Resource \| Change \|\n\|---\|---\|---\|\n\| \`${MODEL}\` \| \`vendor-sentiment\` \|`));
        });

        it("an unknown policy or level: exit 2", async () => {
            // One letter dropped from the model policy's name: no other name of the catalogue is as close.
            const typo = MODEL.slice(0, -1);
            const config = writeTmp("typo-config.json", { [typo]: "mandatory" });
            assertUsageError(await run(["--config", config, exportOf("isolated-model")]), config,
                new RegExp(String.raw`unknown policy "${typo}" \(did you mean "${MODEL}"\?\)$`));
        });
    });

    describe("resolveConfig", () => {
        const info: AnalyzerInfo = {
            name: "p", version: "1", supportsConfig: true,
            policies: [
                { name: "a", type: "resource", description: "", level: "advisory", severity: 3, url: "", tags: [], remediationSteps: "", configSchema: { properties: { exemptions: exemptionsSchema }, required: [] } },
                { name: "b", type: "resource", description: "", level: "mandatory", severity: 3, url: "", tags: [], remediationSteps: "", configSchema: { properties: { n: { type: "number", default: 3 } }, required: [] } },
            ],
        };

        it("fills in levels and defaults; a policy's own entry wins over \"all\"", () => {
            assert.deepStrictEqual(resolveConfig(info), { a: { enforcementLevel: "advisory", exemptions: [] }, b: { enforcementLevel: "mandatory", n: 3 } });
            const f = writeTmp("c1.json", { all: "disabled", b: { enforcementLevel: "remediate", n: 5 } });
            assert.deepStrictEqual(resolveConfig(info, f), { a: { enforcementLevel: "disabled", exemptions: [] }, b: { enforcementLevel: "remediate", n: 5 } });
        });

        it("rejects what Pulumi would reject, in one line naming the file", () => {
            const cases: [unknown, RegExp][] = [
                [{ a: "strict" }, /a: enforcementLevel must be one of "advisory", "mandatory", "disabled", "remediate", not "strict"/],
                [{ a: { exemptions: [{ resource: "x" }] } }, /a: exemptions\[0\] must have required property 'reason'/],
                [{ a: { exemptions: [{ resource: "x", reason: "y", expires: "2026-02-30" }] } }, /a: exemptions\[0\]\.expires must be a real calendar date \(expected YYYY-MM-DD\)/],
                [{ a: { exemptions: [{ resource: "x", reason: "y", expires: "31/03/2027" }] } }, /a: exemptions\[0\]\.expires must be a date \(expected YYYY-MM-DD, e\.g\. 2027-03-31\)$/],
                [{ a: { exemptions: [{ resource: "x", reason: "y", until: "z" }] } }, /a: exemptions\[0\] has an unknown property "until"$/],
                [{ a: { exemptions: [{ resource: "x", reason: "y", expire: "2027-01-01" }] } }, /a: exemptions\[0\] has an unknown property "expire" \(did you mean "expires"\?\)$/],
                [{ a: { exemption: [] } }, /a: unknown setting "exemption" \(did you mean "exemptions"\?\)$/],
                [{ b: { m: 1 } }, /b: unknown setting "m" \(did you mean "n"\?\)$/],
                [{ sagemaker: "advisory" }, /unknown policy "sagemaker"/],
                [{ b: { n: "three" } }, /b: n must be number/],
                [{ c: "advisory" }, /unknown policy "c"/],
                [[], /must be a JSON object/],
            ];
            cases.forEach(([config, problem], i) => {
                const f = writeTmp(`bad${i}.json`, config);
                assert.throws(() => resolveConfig(info, f), (e: Error) => e instanceof UsageError && e.message.startsWith(f) && problem.test(e.message) && !e.message.includes("\n"),
                    `case ${i}`);
            });
        });
    });
});
