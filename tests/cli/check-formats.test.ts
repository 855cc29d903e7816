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
import { EXAMPLES, exportOf, tempFolder } from "./check-common";
import { examplesReport, expectAuditRow, expectOutcomes, resourceOf, scoreLine, scoresOf, stackRow, totalOf } from "./check-results";
import { ENABLED_RESOURCE_POLICIES, WORKLOAD_POLICIES } from "../subjects";

describe("check command: reports (cli/reports)", function () {
    this.timeout(120000);
    const { dir, write: writeTmp } = tempFolder();

    describe("the examples, in text format (exit 1 only for the Marketplace model)", () => {
        // Findings of the policies each test is about; the score line is the one the JSON report's results of the same stack give.
        const expected: Record<string, { code: number; findings: RegExp[]; stack: string }> = {
            "isolated-model": {
                code: 0, stack: "Stack prod (project isolated-model)",
                findings: [new RegExp(String.raw`\n {2}fraud-scorer {2}\(aws:sagemaker\/model:Model\)\n(?: {4}.*\n)* {4}passed {10}${MODEL}\n`),
                    new RegExp(String.raw`\n {2}fraud-scorer {2}\(aws:sagemaker\/model:Model\)\n(?: {4}.*\n)* {4}not applicable {2}${TRAINING} +Declares no SageMaker training or tuning jobs\n`),
                    new RegExp(String.raw`\n {2}stack prod \(project isolated-model\) {2}\(pulumi:pulumi:Stack\)\n {4}passed {10}${VPC_ENDPOINTS}\n`),
                    /\n {2}No policy applies to \d+ other resources: ml-vpc \(aws:ec2\/vpc:Vpc\), /],
            },
            "marketplace-model": {
                code: 1, stack: "Stack dev (project marketplace-model)",
                findings: [/vendor-sentiment {2}\(aws:sagemaker\/model:Model\)/, new RegExp(String.raw`mandatory {7}${MARKETPLACE} +vendor-sentiment: primaryContainer\.modelPackageName is a Marketplace model package \(account 865070037744\)`),
                    new RegExp(String.raw`advisory {8}${MODEL} +vendor-sentiment: enableNetworkIsolation is not true`)],
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
                const [r, { doc }] = await Promise.all([run([exportOf(name)]), examplesReport()]);
                const e = expected[name];
                assert.strictEqual(r.code, e.code, r.stdout + r.stderr);
                assert.strictEqual(r.stderr, "");
                assert.ok(r.stdout.startsWith(`${e.stack} - ${exportOf(name)}\n`), r.stdout);
                for (const f of e.findings) {
                    assert.match(r.stdout, f);
                }
                const stack = doc.stacks[EXAMPLES.indexOf(name)];
                assert.ok(r.stdout.includes(`\n  ${scoreLine(scoresOf(stack.results))}\n`), r.stdout);
                // Resources no policy applies to: those whose every result is "not applicable".
                const ungoverned = new Set(stack.results.filter(x => x.resourceType !== "pulumi:pulumi:Stack").map(x => x.urn));
                stack.results.filter(x => x.outcome !== "not-applicable").forEach(x => ungoverned.delete(x.urn));
                assert.strictEqual(r.stdout.match(/\n {2}No policy applies to (\d+) other resources?: /)?.[1], ungoverned.size ? `${ungoverned.size}` : undefined);
                assert.match(r.stdout, e.code === 1 ? /FAILED: mandatory policy violations\.\n$/ : /Passed: no mandatory policy violations\.\n$/);
                // Only the Marketplace policy is mandatory; the VPC example has its S3 endpoint.
                assert.strictEqual(new RegExp(String.raw`\bmandatory {7}${MARKETPLACE} `).test(r.stdout), e.code === 1);
            });
        }
    });

    describe("formats (all examples at once)", () => {
        const all = EXAMPLES.map(exportOf);

        it("json", async () => {
            const { code, doc } = await examplesReport();
            assert.strictEqual(code, 1);
            assert.deepStrictEqual(doc.policyPack, { name: "sagemaker-network-isolation", version: PACK_VERSION });
            assert.deepStrictEqual(doc.stacks.map(s => [s.stack, s.file]),
                [["dev", all[0]], ["prod", all[1]], ["dev", all[2]], ["staging", all[3]]]);
            // The findings of the policies named here, in stack order; the counts and scores are those of the results.
            const named = [MODEL, MARKETPLACE, PROCESSING, FRAMEWORK, ENCRYPTION];
            const findings = doc.stacks.flatMap(s => s.findings);
            assert.deepStrictEqual(findings.filter(f => named.includes(f.policyName)).map(f => [f.policyName, f.level, f.resourceName]), [
                [FRAMEWORK, "advisory", "chainer-classifier"], [MODEL, "advisory", "vendor-sentiment"], [MARKETPLACE, "mandatory", "vendor-sentiment"],
                [PROCESSING, "advisory", "churn-training"], [ENCRYPTION, "advisory", "churn-training"], [ENCRYPTION, "advisory", "churn-training"],
            ]);
            const level = (l: string) => findings.filter(f => f.level === l).length;
            for (const s of doc.stacks) {
                assert.deepStrictEqual(s.scores, scoresOf(s.results), s.project);
            }
            assert.deepStrictEqual(doc.summary, {
                mandatory: level("mandatory"), advisory: level("advisory"), exempted: 0, remediated: 0, failed: true,
                scores: totalOf(doc.stacks.map(s => s.scores)),
            });
            // Per resource and policy, the result the pack answered over the protocol.
            const results = (i: number, name: string) => doc.stacks[i].results
                .filter(x => x.resourceName === name && !x.resourceType.includes("endpointConfiguration"));
            const resource = (i: number, name: string) => resourceOf(all[i], name, "aws:sagemaker/" + (name === "churn-training" ? "pipeline:Pipeline" : "model:Model"));
            expectOutcomes(results(2, "vendor-sentiment"), resource(2, "vendor-sentiment"), { [MODEL]: "failed", [MARKETPLACE]: "failed" });
            expectOutcomes(results(3, "churn-training"), resource(3, "churn-training"),
                { [TRAINING]: "passed", [PROCESSING]: "failed", [FRAMEWORK]: "passed", [ENCRYPTION]: "failed", [REMOTE_ACCESS]: "passed" });
            expectOutcomes(results(1, "fraud-scorer"), resource(1, "fraud-scorer"), { [MODEL]: "passed" });
            assert.deepStrictEqual(results(1, "").filter(x => x.policyName === VPC_ENDPOINTS).map(x => x.outcome), ["passed"]);
            expectOutcomes(results(1, "ml-vpc"), resourceOf(all[1], "ml-vpc"), {});
            assert.ok(doc.stacks.every(s => Array.isArray(s.remediated) && s.remediated.length === 0));
            const mp = doc.stacks[2].findings.find(f => f.policyName === MARKETPLACE)!;
            assert.strictEqual(mp.urn, "urn:pulumi:dev::marketplace-model::aws:sagemaker/model:Model::vendor-sentiment");
            assert.strictEqual(mp.resourceName, "vendor-sentiment");
            // The configuration sent to the pack: every policy, default levels and schema defaults.
            assert.strictEqual(doc.config[MARKETPLACE].enforcementLevel, "mandatory");
            assert.deepStrictEqual(doc.config[VPC_ENDPOINTS], {
                enforcementLevel: "advisory", requiredServices: ["s3"], requiredServicesWithoutIsolation: [], requiredServicesForNotebooks: ["sagemaker.api", "sagemaker.runtime", "s3"],
                requiredServicesForStudio: ["sagemaker.api", "sagemaker.runtime", "s3"], natCounts: false, unresolvedVpc: "report", externalSubnets: [], centralizedEndpoints: [], exemptions: [],
            });
        });

        it("sarif 2.1.0, written with --output", async () => {
            const out = path.join(dir(), "report.sarif");
            const [r, { doc }] = await Promise.all([run(["--format", "sarif", "--output", out, ...all]), examplesReport()]);
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
            // A result per finding of the same run's JSON report: mandatory ones errors, advisory ones warnings.
            const results = log.runs[0].results!;
            const findings = doc.stacks.flatMap(s => s.findings);
            assert.deepStrictEqual(results.map(x => [x.ruleId, x.level]).sort(),
                findings.map(f => [f.policyName, f.level === "mandatory" ? "error" : "warning"]).sort());
            const named = [MODEL, MARKETPLACE, PROCESSING, FRAMEWORK, ENCRYPTION];
            assert.deepStrictEqual(results.filter(x => named.includes(x.ruleId!)).map(x => [x.ruleId, x.level]), [
                [FRAMEWORK, "warning"], [MODEL, "warning"], [MARKETPLACE, "error"], [PROCESSING, "warning"], [ENCRYPTION, "warning"], [ENCRYPTION, "warning"],
            ]);
            const e = results.find(x => x.ruleId === MARKETPLACE)!;
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
            const model = (i: number, name: string) => resourceOf(all[i], name, "aws:sagemaker/model:Model");
            expectAuditRow(md, "fraud-scorer", model(1, "fraud-scorer"), { [MODEL]: "passed" });
            expectAuditRow(md, "vendor-sentiment", model(2, "vendor-sentiment"), { [MODEL]: "**failed**", [MARKETPLACE]: "**failed**" });
            expectAuditRow(md, "churn-training", resourceOf(all[3], "churn-training", "aws:sagemaker/pipeline:Pipeline"),
                { [TRAINING]: "passed", [PROCESSING]: "**failed**", [FRAMEWORK]: "passed", [ENCRYPTION]: "**failed**", [REMOTE_ACCESS]: "passed" });
            expectAuditRow(md, "chainer-classifier", model(0, "chainer-classifier"), { [MODEL]: "passed", [FRAMEWORK]: "**failed**" });
            assert.match(md, new RegExp(String.raw`Stack policy \`${VPC_ENDPOINTS}\`: passed\.`));
            assert.match(md, new RegExp(String.raw`Stack policy \`${VPC_ENDPOINTS}\`: n\/a \(No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC\)\.`));
            // The summary table: each stack's counts and scores as the JSON report of the same inputs gives them.
            for (const s of (await examplesReport()).doc.stacks) {
                assert.ok(md.includes(`\n${stackRow(s)}\n`), stackRow(s));
            }
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
            // A definition that cannot be read is a note from every enabled policy that judges workloads: each applies and cannot pass it.
            expectAuditRow(md, "from-s3", { type: "aws-native:stepfunctions:StateMachine", props: { definitionS3Location: { bucket: "b", key: "sm.json" } } },
                Object.fromEntries(WORKLOAD_POLICIES.filter(p => ENABLED_RESOURCE_POLICIES.includes(p)).map(p => [p, "**failed**"])));
            assert.match(md, new RegExp(String.raw`\| advisory \| \`${MODEL}\` \| \`from-s3\` \| Cannot check: from-s3: definitionS3Location is stored in Amazon S3, so the models it declares cannot be checked\. \|`));
            assert.match(md, new RegExp(String.raw`\| advisory \| \`${MODEL}\` \| \`broken\` \| Cannot check: broken: pipelineDefinition is not valid JSON, so the models it declares cannot be checked\. \|`));
        });
    });
});
