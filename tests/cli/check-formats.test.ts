/**
 * The check command's reports (bin/cli/check.js): each example in text, and all of them at once
 * in each other format. Every run starts the pack once, so the runs here are few.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type * as sarif from "sarif";
import { PACK_VERSION, RULES } from "../../policies/catalogue/index";
import { ENCRYPTION, FRAMEWORK, MARKETPLACE, MODEL, PROCESSING, REMOTE_ACCESS, TRAINING, VPC_ENDPOINTS } from "../rules";
import { ROOT, run } from "./run";
import { auditRow, EXAMPLES, exportOf, outcomes, RESOURCE_POLICIES, tempFolder } from "./check-common";

describe("check command: reports (cli/reports)", function () {
    this.timeout(120000);
    const { dir, write: writeTmp } = tempFolder();

    describe("the examples, in text format (exit 1 only for the Marketplace model)", () => {
        const expected: Record<string, { code: number; findings: RegExp[]; stack: string }> = {
            "isolated-model": {
                code: 0, stack: "Stack prod (project isolated-model)",
                findings: [/^ {2}Policy compliance 100% \(2 of 2 applicable policies passing\), resource compliance 100% \(1 of 1 governed resources compliant\)$/m,
                    new RegExp(String.raw`\n {2}fraud-scorer {2}\(aws:sagemaker\/model:Model\)\n {4}passed {10}${MODEL}\n {4}not applicable {2}${TRAINING} +Declares no SageMaker training or tuning jobs\n`),
                    new RegExp(String.raw`\n {2}stack prod \(project isolated-model\) {2}\(pulumi:pulumi:Stack\)\n {4}passed {10}${VPC_ENDPOINTS}\n`),
                    /\n {2}No policy applies to 10 other resources: ml-vpc \(aws:ec2\/vpc:Vpc\), /],
            },
            "marketplace-model": {
                code: 1, stack: "Stack dev (project marketplace-model)",
                findings: [/vendor-sentiment {2}\(aws:sagemaker\/model:Model\)/, new RegExp(String.raw`mandatory {7}${MARKETPLACE} +vendor-sentiment: primaryContainer\.modelPackageName is a Marketplace model package \(account 865070037744\)`),
                    new RegExp(String.raw`advisory {8}${MODEL} +vendor-sentiment: enableNetworkIsolation is not true`),
                    /Policy compliance 33\.3% \(1 of 3 applicable policies passing\), resource compliance 50% \(1 of 2 governed resources compliant\)/],
            },
            "training-pipeline": {
                code: 0, stack: "Stack staging (project training-pipeline)",
                findings: [new RegExp(String.raw`advisory {8}${PROCESSING} +churn-training: pipelineDefinition\.Steps\[0\]\(Preprocess\)\.Arguments\.NetworkConfig\.EnableNetworkIsolation is not set`),
                    new RegExp(String.raw`passed {10}${TRAINING}\n`), new RegExp(String.raw`not applicable {2}${MODEL} +Declares no SageMaker models\n`)],
            },
            "chainer-model": {
                code: 0, stack: "Stack dev (project chainer-model)",
                findings: [new RegExp(String.raw`advisory {8}${FRAMEWORK} +chainer-classifier: primaryContainer\.image is AWS's Chainer container`),
                    new RegExp(String.raw`not applicable {2}${VPC_ENDPOINTS} +No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC\n`)],
            },
        };
        for (const name of EXAMPLES) {
            it(name, async () => {
                const r = await run([exportOf(name)]);
                const e = expected[name];
                assert.strictEqual(r.code, e.code, r.stdout + r.stderr);
                assert.strictEqual(r.stderr, "");
                assert.ok(r.stdout.startsWith(`${e.stack} - ${exportOf(name)}\n`), r.stdout);
                for (const f of e.findings) {
                    assert.match(r.stdout, f);
                }
                assert.match(r.stdout, e.code === 1 ? /FAILED: mandatory policy violations\.\n$/ : /Passed: no mandatory policy violations\.\n$/);
                // Only the Marketplace model has anything mandatory; the VPC example has its S3 endpoint.
                assert.strictEqual(/\bmandatory {7}/.test(r.stdout), e.code === 1);
            });
        }
    });

    describe("formats (all examples at once)", () => {
        const all = EXAMPLES.map(exportOf);

        it("json", async () => {
            const r = await run(["--format", "json", ...all]);
            assert.strictEqual(r.code, 1);
            const doc = JSON.parse(r.stdout);
            assert.deepStrictEqual(doc.policyPack, { name: "sagemaker-network-isolation", version: PACK_VERSION });
            assert.deepStrictEqual(doc.stacks.map((s: { stack: string; file: string }) => [s.stack, s.file]),
                [["dev", all[0]], ["prod", all[1]], ["dev", all[2]], ["staging", all[3]]]);
            assert.deepStrictEqual(doc.summary, {
                mandatory: 1, advisory: 5, exempted: 0, remediated: 0, failed: true,
                scores: { policies: { part: 7, whole: 12, percent: 58.3 }, resources: { part: 2, whole: 5, percent: 40 } },
            });
            // Per resource and policy, the result the pack answered over the protocol.
            const results = (i: number, name: string) => Object.fromEntries(doc.stacks[i].results
                .filter((x: { resourceName: string; resourceType: string }) => x.resourceName === name && !x.resourceType.includes("endpointConfiguration"))
                .map((x: { policyName: string; outcome: string }) => [x.policyName, x.outcome]));
            assert.deepStrictEqual(results(2, "vendor-sentiment"), outcomes({ [MODEL]: "failed", [MARKETPLACE]: "failed" }));
            assert.deepStrictEqual(results(3, "churn-training"),
                outcomes({ [TRAINING]: "passed", [PROCESSING]: "failed", [FRAMEWORK]: "passed", [ENCRYPTION]: "failed", [REMOTE_ACCESS]: "passed" }));
            assert.deepStrictEqual(results(1, ""), { [VPC_ENDPOINTS]: "passed" });
            assert.deepStrictEqual(results(1, "ml-vpc"), outcomes({}));
            assert.deepStrictEqual(doc.stacks[1].scores, { policies: { part: 2, whole: 2, percent: 100 }, resources: { part: 1, whole: 1, percent: 100 } });
            assert.ok(doc.stacks.every((s: { remediated: unknown[] }) => Array.isArray(s.remediated) && s.remediated.length === 0));
            const mp = doc.stacks[2].findings.find((f: { level: string }) => f.level === "mandatory");
            assert.strictEqual(mp.urn, "urn:pulumi:dev::marketplace-model::aws:sagemaker/model:Model::vendor-sentiment");
            assert.strictEqual(mp.resourceName, "vendor-sentiment");
            assert.strictEqual(mp.policyName, MARKETPLACE);
            // The configuration sent to the pack: every policy, default levels and schema defaults.
            assert.strictEqual(doc.config[MARKETPLACE].enforcementLevel, "mandatory");
            assert.deepStrictEqual(doc.config[VPC_ENDPOINTS], {
                enforcementLevel: "advisory", requiredServices: ["s3"], requiredServicesWithoutIsolation: [], requiredServicesForNotebooks: ["sagemaker.api", "sagemaker.runtime", "s3"],
                requiredServicesForStudio: ["sagemaker.api", "sagemaker.runtime", "s3"], natCounts: false, unresolvedVpc: "report", externalSubnets: [], centralizedEndpoints: [], exemptions: [],
            });
        });

        it("sarif 2.1.0, written with --output", async () => {
            const out = path.join(dir(), "report.sarif");
            const r = await run(["--format", "sarif", "--output", out, ...all]);
            assert.strictEqual(r.code, 1);
            assert.strictEqual(r.stdout, "");
            const log = JSON.parse(fs.readFileSync(out, "utf8")) as sarif.Log;
            assert.strictEqual(log.version, "2.1.0");
            assert.strictEqual(log.runs.length, 1);
            const driver = log.runs[0].tool.driver;
            assert.strictEqual(driver.name, "sagemaker-isolation-check");
            const rules = driver.rules!;
            assert.strictEqual(rules.length, RULES.length);
            for (const rule of rules) {
                assert.ok(rule.id.startsWith("sagemaker-"));
                assert.strictEqual(rule.helpUri, undefined, "SARIF wants an absolute URI; the pack links to README anchors");
                assert.match(rule.help!.text, /Remediation: \S/);
                assert.ok(rule.help!.text.startsWith(rule.shortDescription!.text));
            }
            const results = log.runs[0].results!;
            assert.strictEqual(results.length, 6);
            const errors = results.filter(x => x.level === "error");
            assert.strictEqual(errors.length, 1);
            assert.strictEqual(results.filter(x => x.level === "warning").length, 5);
            const e = errors[0];
            assert.strictEqual(e.ruleId, MARKETPLACE);
            assert.strictEqual(rules[e.ruleIndex!].id, e.ruleId);
            // Paths from the repository's root (this work tree), %SRCROOT%, which the run declares without a path.
            // The result is placed in the program (tests/cli/sarif.test.ts); the export is its related location.
            assert.deepStrictEqual(e.relatedLocations![0].physicalLocation!.artifactLocation, { uri: exportOf("marketplace-model"), uriBaseId: "%SRCROOT%" });
            assert.deepStrictEqual(Object.keys(log.runs[0].originalUriBaseIds!), ["%SRCROOT%"]);
            assert.ok(!JSON.stringify(log).includes(ROOT), "no path of the machine");
            assert.deepStrictEqual(log.runs[0].artifacts!.map(a => a.location), [...all, "index.ts"].map(uri => ({ uri, uriBaseId: "%SRCROOT%" })));
            assert.deepStrictEqual(e.locations![0].logicalLocations![0],
                { fullyQualifiedName: "urn:pulumi:dev::marketplace-model::aws:sagemaker/model:Model::vendor-sentiment", name: "vendor-sentiment", kind: "resource" });
        });

        it("markdown audit report", async () => {
            const r = await run(["--format", "markdown", ...all]);
            assert.strictEqual(r.code, 1);
            const md = r.stdout;
            assert.match(md, /^# SageMaker network isolation audit\n/);
            for (const [stack, project] of [["dev", "chainer-model"], ["prod", "isolated-model"], ["dev", "marketplace-model"], ["staging", "training-pipeline"]]) {
                assert.ok(md.includes(`## Stack \`${stack}\` (project \`${project}\`)`), `${project} section`);
            }
            // Every resource a policy applies to, with each resource policy's result from the protocol.
            assert.ok(md.includes(`| Resource | Type | ${RESOURCE_POLICIES.map(p => `\`${p}\``).join(" | ")} |`), "audit table header");
            assert.ok(md.includes(auditRow("fraud-scorer", "aws:sagemaker/model:Model", { [MODEL]: "passed" })));
            assert.ok(md.includes(auditRow("vendor-sentiment", "aws:sagemaker/model:Model", { [MODEL]: "**failed**", [MARKETPLACE]: "**failed**" })));
            assert.ok(md.includes(auditRow("churn-training", "aws:sagemaker/pipeline:Pipeline", { [TRAINING]: "passed", [PROCESSING]: "**failed**", [FRAMEWORK]: "passed", [ENCRYPTION]: "**failed**", [REMOTE_ACCESS]: "passed" })));
            assert.ok(md.includes(auditRow("chainer-classifier", "aws:sagemaker/model:Model", { [MODEL]: "passed", [FRAMEWORK]: "**failed**" })));
            assert.match(md, new RegExp(String.raw`Stack policy \`${VPC_ENDPOINTS}\`: passed\.`));
            assert.match(md, new RegExp(String.raw`Stack policy \`${VPC_ENDPOINTS}\`: n\/a \(No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC\)\.`));
            assert.match(md, /\| `prod` \| `isolated-model` \| `examples\/isolated-model\/stack-export\.json` \| 11 \| 0 \| 0 \| 0 \| 0 \| 100% \| 100% \|/);
            assert.ok(!md.includes("arn:aws:sagemaker:"), "no whole ARN in the report");
            assert.match(md, new RegExp(String.raw`\| \*\*mandatory\*\* \| \`${MARKETPLACE}\` \| \`vendor-sentiment\` \|`));
            assert.strictEqual(md.split("### Exemptions\n\nNone applied.").length - 1, 4);
        });

        it("markdown: a definition that cannot be read says why, in the pack's words", async () => {
            const res = (type: string, n: string, inputs: Record<string, unknown>) =>
                ({ urn: `urn:pulumi:dev::defs::${type}::${n}`, type, custom: true, inputs, outputs: {} });
            const f = writeTmp("unreadable.json", {
                version: 3, deployment: {
                    resources: [
                        res("aws-native:stepfunctions:StateMachine", "from-s3", { definitionS3Location: { bucket: "b", key: "sm.json" } }),
                        res("aws:sagemaker/pipeline:Pipeline", "broken", { pipelineDefinition: "{\"Steps\": [" }),
                    ],
                },
            });
            const md = (await run(["--format", "markdown", f])).stdout;
            // A note: every resource policy applies and cannot pass it.
            // A definition that cannot be read is a note from every policy that judges workloads.
            const workloadPolicies = RULES.filter(r => "workloads" in r.subject).map(r => r.name);
            assert.ok(md.includes(auditRow("from-s3", "aws-native:stepfunctions:StateMachine", Object.fromEntries(workloadPolicies.map(p => [p, "**failed**"])))));
            assert.match(md, new RegExp(String.raw`\| advisory \| \`${MODEL}\` \| \`from-s3\` \| Cannot check: from-s3: definitionS3Location is stored in Amazon S3, so the models it declares cannot be checked\. \|`));
            assert.match(md, new RegExp(String.raw`\| advisory \| \`${MODEL}\` \| \`broken\` \| Cannot check: broken: pipelineDefinition is not valid JSON, so the models it declares cannot be checked\. \|`));
        });
    });
});
