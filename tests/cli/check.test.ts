/**
 * The sagemaker-isolation-check command, run as users run it (node bin/cli/check.js; `npm test`
 * builds bin/ first). Every run that gets past reading its inputs starts the pack once, so the
 * runs here are few: one per example, one per other format, and a few for configuration.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";
import { pathToFileURL } from "url";
import { resolveConfig } from "../../cli/engine/config";
import { AnalyzerInfo, proto } from "../../cli/engine/client";
import { loadFile } from "../../cli/inputs";
import { engineValue, parseUrn } from "../../cli/inputs/engine-value";
import { StackResource, UsageError } from "../../cli/inputs/types";
import { exemptionsSchema } from "../../policies/frame/exemptions";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../policies/values/sentinels";
import { RULES } from "../../policies/catalogue/index";
import {
    ENCRYPTION, FRAMEWORK, IN_VPC, MARKETPLACE, MODEL, PROCESSING, REMOTE_ACCESS, TRAINING, VPC_ENDPOINTS,
} from "../rules";
import { ROOT, Run, run } from "./run";

/** The catalogue's resource policies, in the order reports list them: all, and those enabled at their default levels. */
const ALL_RESOURCE_POLICIES = RULES.filter(r => !("stack" in r.subject)).map(r => r.name);
const RESOURCE_POLICIES = RULES.filter(r => !("stack" in r.subject) && r.enforcementLevel !== "disabled").map(r => r.name);

/** Each enabled resource policy's outcome for one resource: those given, and not applicable for the others. */
function outcomes(given: Record<string, string>): Record<string, string> {
    return Object.fromEntries(RESOURCE_POLICIES.map(p => [p, given[p] ?? "not-applicable"]));
}

/** A row of the Markdown audit table (a column per enabled resource policy): the cells given, n/a for the others. */
function auditRow(name: string, type: string, given: Record<string, string>, columns = RESOURCE_POLICIES): string {
    return `| \`${name}\` | \`${type}\` | ${columns.map(p => given[p] ?? "n/a").join(" | ")} |`;
}

const EXAMPLES = ["chainer-model", "isolated-model", "marketplace-model", "training-pipeline"];
const exportOf = (name: string) => `examples/${name}/stack-export.json`;

/** A usage or input error: exit 2, nothing on stdout, one line on stderr naming `subject`. */
function assertUsageError(r: Run, subject: string, problem: RegExp): void {
    assert.strictEqual(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.strictEqual(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.strictEqual(lines.length, 1, `one line on stderr: ${r.stderr}`);
    assert.ok(lines[0].startsWith("sagemaker-isolation-check: "), lines[0]);
    assert.ok(lines[0].includes(subject), `names ${subject}: ${lines[0]}`);
    assert.match(lines[0], problem);
    assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
}

let tmp: string;

function writeTmp(name: string, content: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

describe("check command (cli/check.ts)", () => {
before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "isolation-check-"));
});
after(() => {
    if (tmp) {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});

describe("sagemaker-isolation-check", function () {
    this.timeout(120000);

    describe("usage and input errors (exit 2, before the pack is started)", () => {
        it("a missing file", async () => {
            assertUsageError(await run(["examples/nope/stack-export.json"]), "examples/nope/stack-export.json", /no such file/);
        });

        it("a file that is not JSON", async () => {
            const f = writeTmp("not-json.json", "urn:pulumi:dev::p::aws:s3/bucketV2:BucketV2::b\n{");
            assertUsageError(await run([f]), f, /not valid JSON/);
        });

        it("JSON that is neither a stack export nor a preview", async () => {
            const f = writeTmp("other.json", { version: 3, checkpoint: {} });
            assertUsageError(await run([f]), f, /not a `pulumi stack export`.*or `pulumi preview --json`/);
            const g = writeTmp("array.json", [1, 2]);
            assertUsageError(await run([g]), g, /not a `pulumi stack export`/);
        });

        it("a stack export whose deployment or resources have the wrong type", async () => {
            const f = writeTmp("bad-deployment.json", { version: 3, deployment: 5 });
            assertUsageError(await run([f]), f, /not a `pulumi stack export`/);
            const g = writeTmp("bad-resources.json", { version: 3, deployment: { resources: { a: 1 } } });
            assertUsageError(await run([g]), g, /deployment\.resources is not a list$/);
        });

        it("a stack export with a malformed resource", async () => {
            const f = writeTmp("bad-resource.json", { version: 3, deployment: { resources: [{ type: "aws:s3/bucketV2:BucketV2" }] } });
            assertUsageError(await run([f]), f, /deployment\.resources\[0\] has no urn or type/);
        });

        it("bad arguments: no file, unknown format, unknown option, missing config file", async () => {
            assertUsageError(await run([]), "no input file", /see --help/);
            assertUsageError(await run(["--format", "html", exportOf("isolated-model")]), "--format", /text, json, sarif, markdown/);
            assertUsageError(await run(["--frobnicate", exportOf("isolated-model")]), "--frobnicate", /Unknown option/);
            assertUsageError(await run(["--config", "nope.json", exportOf("isolated-model")]), "nope.json", /no such file/);
        });

        it("--output never overwrites an input file or the configuration, whatever the path says", async () => {
            const input = writeTmp("keep.json", fs.readFileSync(path.join(ROOT, exportOf("isolated-model")), "utf8"));
            const before = fs.readFileSync(input, "utf8");
            assertUsageError(await run(["--output", input, input]), input, /is the input file .*; it is not overwritten$/);
            const link = path.join(tmp, "link.json");
            fs.symlinkSync(input, link);
            assertUsageError(await run(["--output", link, input]), link, /it is not overwritten/);
            const config = writeTmp("cfg.json", {});
            assertUsageError(await run(["--config", config, "--output", config, input]), config, /it is not overwritten/);
            const hard = path.join(tmp, "hard.json");
            fs.linkSync(input, hard);
            assertUsageError(await run(["--output", hard, input]), hard, /is the input file/);
            // A file inside a folder of AWS records given as input.
            const records = path.join(tmp, "records");
            fs.mkdirSync(records);
            fs.copyFileSync(path.join(ROOT, "tests/fixtures/aws-records/describe/jobs.json"), path.join(records, "jobs.json"));
            assertUsageError(await run(["--output", path.join(records, "jobs.json"), records]), "jobs.json", /is inside the input folder .*; it is not overwritten$/);
            assert.strictEqual(fs.readFileSync(input, "utf8"), before);
        });

        it("a definition nested deeper than the policy SDK can decode: exit 2 naming the file and the resource", async () => {
            // 1,250 Parallel states, 5,000 levels of JSON (written as text: JSON.stringify would recurse).
            const task = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: {}, End: true } } });
            const def = '{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":['.repeat(1250) + task + "]}}}".repeat(1250);
            const type = "aws-native:stepfunctions:StateMachine";
            const f = writeTmp("deep.json", `{"deployment":{"resources":[{"urn":"urn:pulumi:dev::deep::${type}::deep-sfn","type":"${type}","custom":true,"inputs":{"definition":${def}},"outputs":{}}]}}`);
            assertUsageError(await run([f]), f, /: deep-sfn \(aws-native:stepfunctions:StateMachine\): the pack could not evaluate it: .*about 1,000 levels; `pulumi preview` would fail the same way\)$/);
        });

        it("--help prints the usage and exits 0", async () => {
            const r = await run(["--help"]);
            assert.strictEqual(r.code, 0);
            assert.match(r.stdout, /^Usage: sagemaker-isolation-check \[options\] FILE\.\.\./);
            assert.match(r.stdout, /--format FORMAT/);
            assert.strictEqual(r.stderr, "");
        });
    });

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
            assert.deepStrictEqual(doc.policyPack, { name: "sagemaker-network-isolation", version: "0.1.0" });
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
                requiredServicesForStudio: ["sagemaker.api", "sagemaker.runtime", "s3"], natCounts: false, unresolvedVpc: "report", exemptions: [],
            });
        });

        it("sarif 2.1.0, written with --output", async () => {
            const out = path.join(tmp, "report.sarif");
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
            // Files under the working directory (the default --source-root): relative to %SRCROOT%, which the run declares.
            // The result is placed in the program (tests/cli/sarif.test.ts); the export is its related location.
            assert.deepStrictEqual(e.relatedLocations![0].physicalLocation!.artifactLocation, { uri: exportOf("marketplace-model"), uriBaseId: "%SRCROOT%" });
            assert.deepStrictEqual(log.runs[0].originalUriBaseIds, { "%SRCROOT%": { uri: pathToFileURL(ROOT).href + "/" } });
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

    describe("configuration", () => {
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
            assert.ok(md.includes(auditRow("vendor-sentiment", "aws:sagemaker/model:Model", { [MODEL]: "exempted", [MARKETPLACE]: "**failed**", [IN_VPC]: "**failed**" },
                ALL_RESOURCE_POLICIES)));
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
            assert.match(r.stdout, /^ {2}4 resources: 0 mandatory, 0 advisory, 0 exempted, 1 remediated$/m);
            assert.match(r.stdout, new RegExp(String.raw`\n {2}vendor-sentiment {2}\(aws:sagemaker\/model:Model\)\n {4}remediated {6}${MODEL} +inputs changed by this policy's remediation`));
            assert.match(r.stdout, new RegExp(String.raw`\n {4}passed {10}${MODEL}\n {4}passed {10}${MARKETPLACE}\n`));
            assert.match(r.stdout, /1 remediated\. Policy compliance 100% .* Passed: no mandatory policy violations\.\n$/);

            const j = await run(["--config", "config/remediate.json", "--format", "json", exportOf("marketplace-model")]);
            assert.strictEqual(j.code, 0, j.stderr);
            const doc = JSON.parse(j.stdout);
            assert.deepStrictEqual({ ...doc.summary, scores: undefined }, { mandatory: 0, advisory: 0, exempted: 0, remediated: 1, failed: false, scores: undefined });
            assert.deepStrictEqual(doc.stacks[0].findings, []);
            assert.deepStrictEqual(doc.stacks[0].remediated, [{
                policyName: MODEL,
                urn: "urn:pulumi:dev::marketplace-model::aws:sagemaker/model:Model::vendor-sentiment",
                resourceName: "vendor-sentiment", resourceType: "aws:sagemaker/model:Model",
            }]);

            const m = await run(["--config", "config/remediate.json", "--format", "markdown", exportOf("marketplace-model")]);
            assert.strictEqual(m.code, 0, m.stderr);
            assert.ok(m.stdout.includes(auditRow("vendor-sentiment", "aws:sagemaker/model:Model", { [MODEL]: "passed (remediated)", [MARKETPLACE]: "passed" })));
            assert.match(m.stdout, new RegExp(String.raw`### Remediations\n\n\| Policy \| Resource \| Change \|\n\|---\|---\|---\|\n\| \`${MODEL}\` \| \`vendor-sentiment\` \|`));
        });

        it("an unknown policy or level: exit 2", async () => {
            const config = writeTmp("typo-config.json", { "sagemaker-model-isolation": "mandatory" });
            assertUsageError(await run(["--config", config, exportOf("isolated-model")]), config,
                new RegExp(String.raw`unknown policy "sagemaker-model-isolation" \(did you mean "${MODEL}"\?\)$`));
        });
    });

    describe("secret values", () => {
        it("never appear whole in any format: only an image's repository and an ARN's account", async () => {
            const secret = (v: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(v) });
            const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team-secret-repo:build-4f2a9c";
            const arn = "arn:aws:sagemaker:us-east-1:865070037744:model-package/hidden-listing-7b3e/2";
            const name = "private-package-name-9c1d";
            const model = (n: string, inputs: Record<string, unknown>) =>
                ({ urn: `urn:pulumi:dev::secrets::aws:sagemaker/model:Model::${n}`, type: "aws:sagemaker/model:Model", custom: true, inputs, outputs: {} });
            const f = writeTmp("secrets.json", {
                version: 3, deployment: {
                    resources: [
                        model("m1", { containers: [{ image: secret(image) }, { modelPackageName: secret(arn) }, { modelPackageName: secret(name) }] }),
                        model("m2", { primaryContainer: secret({ image }) }),
                    ],
                },
            });
            const outputs: Record<string, string> = {};
            for (const format of ["text", "json", "sarif", "markdown"]) {
                const r = await run(["--format", format, f]);
                assert.strictEqual(r.code, 1, `${format}: ${r.stderr}`);
                outputs[format] = r.stdout;
                for (const whole of [image, arn, name, "build-4f2a9c", "hidden-listing-7b3e", "123456789012"]) {
                    assert.ok(!r.stdout.includes(whole), `${format} shows ${whole}`);
                }
            }
            assert.match(outputs.markdown, /\| `m1` \| `aws:sagemaker\/model:Model` \| \*\*failed\*\* \|/);
            // A file outside the working directory: an absolute file:// URI in SARIF.
            const log = JSON.parse(outputs.sarif) as sarif.Log;
            assert.deepStrictEqual(log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation, { uri: pathToFileURL(f).href });
            assert.deepStrictEqual(log.runs[0].artifacts!.map(a => a.location), [{ uri: pathToFileURL(f).href }]);
        });
    });

    describe("names from the input are escaped, duplicates are warned about", () => {
        it("control characters in names never reach the terminal; a URN listed twice is evaluated once", async () => {
            const type = "aws:sagemaker/model:Model";
            const name = "evil\u001b[2J\u001b]0;owned\u0007\rmodel";
            const m = { urn: `urn:pulumi:dev::esc::${type}::${name}`, type, custom: true, inputs: { enableNetworkIsolation: false }, outputs: {} };
            const f = writeTmp("escapes.json", { deployment: { resources: [m, m] } });
            // eslint-disable-next-line no-control-regex -- looking for control characters is the point
            const control = /[\x00-\x09\x0b-\x1f\x7f]/;
            for (const format of ["text", "markdown"]) {
                const r = await run(["--format", format, f]);
                assert.strictEqual(r.code, 0, r.stderr);
                assert.ok(!control.test(r.stdout), `${format}: a control character reached the output`);
                assert.ok(r.stdout.includes("evil\\x1b[2J\\x1b]0;owned\\x07\\rmodel"), r.stdout);
                assert.match(r.stderr, /warning: .*escapes\.json: 1 URN\(s\) listed more than once .*only the first of each is evaluated\n$/);
                assert.ok(!control.test(r.stderr), "stderr");
            }
            const j = JSON.parse((await run(["--format", "json", f])).stdout);
            assert.strictEqual(j.stacks[0].resources, 1);
            assert.strictEqual(j.stacks[0].findings.length, 1);
        });
    });

    describe("a state, as pulumi policy analyze and audit policy groups evaluate it", () => {
        it("reads (.get()) are not analyzed by resource policies but the stack policy sees them; encrypted values are 'Cannot check'", async () => {
            const r = (type: string, name: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
                ({ urn: `urn:pulumi:prod::audit::${type}::${name}`, type, custom: true, id: props["id"], inputs: props, outputs: props, ...extra });
            const f = writeTmp("state.json", {
                version: 3, deployment: {
                    resources: [
                        r("aws:ec2/vpc:Vpc", "shared", { id: "vpc-1" }, { external: true }),
                        r("aws:ec2/subnet:Subnet", "shared-a", { id: "subnet-1", vpcId: "vpc-1" }, { external: true }),
                        r("aws:sagemaker/model:Model", "read-model", { id: "read-model", enableNetworkIsolation: false, vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] } }, { external: true }),
                        r("aws:sagemaker/model:Model", "sealed", { id: "sealed", enableNetworkIsolation: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "v1:AAAA" } }),
                    ],
                },
            });
            const j = await run(["--format", "json", f]);
            assert.strictEqual(j.code, 0, j.stderr);
            const doc = JSON.parse(j.stdout);
            const s = doc.stacks[0];
            // The read model has no resource-policy result; the stack policy judged its VPC.
            assert.deepStrictEqual(s.results.filter((x: { resourceName: string }) => x.resourceName === "read-model"), []);
            assert.deepStrictEqual(s.findings.map((x: { policyName: string; resourceName: string }) => [x.policyName, x.resourceName]),
                [[MODEL, "sealed"], [VPC_ENDPOINTS, "read-model"]]);
            assert.strictEqual(s.findings[0].message,
                "Cannot check: sealed: enableNetworkIsolation is a secret that could not be decrypted, so network isolation of the model cannot be checked.");
            assert.ok(!j.stdout.includes("during preview"));
            const t = await run([f]);
            assert.match(t.stdout, /\n {2}Read with \.get\(\), so not analyzed by the resource policies \(the stack policy sees them\): 2 other resources: shared \(aws:ec2\/vpc:Vpc\), shared-a \(aws:ec2\/subnet:Subnet\)\n/);
        });
    });

    describe("pulumi preview --json input", () => {
        it("is detected; steps that delete are skipped; exit 1 for a mandatory violation", async () => {
            const doc = JSON.parse(fs.readFileSync(path.join(ROOT, exportOf("marketplace-model")), "utf8"));
            const resources = doc.deployment.resources as Record<string, unknown>[];
            const steps: { op: string; urn: unknown; newState: Record<string, unknown> }[] =
                resources.map(r => ({ op: "create", urn: r.urn, newState: { ...r, outputs: {} } }));
            // A model being deleted: not part of the stack any more, so not reported.
            const gone = "urn:pulumi:dev::marketplace-model::aws:sagemaker/model:Model::old-model";
            steps.push({
                op: "delete", urn: gone, newState: {
                    urn: gone, type: "aws:sagemaker/model:Model", custom: true,
                    inputs: { primaryContainer: { modelPackageName: "arn:aws:sagemaker:us-east-1:865070037744:model-package/x" } },
                    outputs: {},
                },
            });
            const f = writeTmp("preview.json", { steps, changeSummary: { create: resources.length }, duration: 1 });
            const r = await run(["--format", "json", f]);
            assert.strictEqual(r.code, 1, r.stderr);
            const out = JSON.parse(r.stdout);
            assert.strictEqual(out.stacks.length, 1);
            assert.strictEqual(out.stacks[0].source, "preview");
            assert.strictEqual(out.stacks[0].stack, "dev");
            assert.deepStrictEqual(out.stacks[0].findings.map((x: { resourceName: string }) => x.resourceName), ["vendor-sentiment", "vendor-sentiment"]);
            // Only created resources, no unchanged ones: the stack policy would see part of the stack.
            assert.match(r.stderr, /warning: .*preview\.json: the preview lists only the resources it changes; run `pulumi preview --json --show-sames`/);
        });

        it("does not warn about a partial stack when unchanged resources are listed (--show-sames)", async () => {
            const doc = JSON.parse(fs.readFileSync(path.join(ROOT, exportOf("marketplace-model")), "utf8"));
            const steps = (doc.deployment.resources as Record<string, unknown>[]).map(r => ({ op: "same", urn: r.urn, newState: r }));
            const [stack] = await loadFile(writeTmp("preview-sames.json", { steps }));
            assert.strictEqual(stack.partial, false);
            // A first preview of a new stack creates everything: nothing is left out, no warning.
            const creates = steps.map(x => ({ ...x, op: "create" }));
            const [fresh] = await loadFile(writeTmp("preview-creates.json", { steps: creates }));
            assert.strictEqual(fresh.partial, false);
            // An existing stack's preview without --show-sames: changes only.
            const [partial] = await loadFile(writeTmp("preview-updates.json", { steps: [{ ...creates[0], op: "update" }, ...creates.slice(1)] }));
            assert.strictEqual(partial.partial, true);
        });
    });
});

/** The outputs a resource is sent to AnalyzeStack with, read back with the protocol stubs. */
function outputsOf(r: StackResource): Record<string, unknown> {
    return proto.AnalyzerResource.deserializeBinary(r.stackEntry).getProperties()!.toJavaScript();
}

describe("check command: reading inputs", () => {
    it("URNs: stack, project and logical name", () => {
        assert.deepStrictEqual(parseUrn("urn:pulumi:prod::ml::aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::private-a"),
            { stack: "prod", project: "ml", name: "private-a" });
        assert.strictEqual(parseUrn("arn:aws:s3:::bucket"), undefined);
    });

    it("secrets become the engine's envelopes; internal keys are dropped at the top level", () => {
        const [SIG, SECRET] = [SECRET_SIG_KEY, SECRET_SIG];
        assert.deepStrictEqual(engineValue({ a: { [SIG]: SECRET, plaintext: "true" }, b: { [SIG]: SECRET, ciphertext: "AAAB..." }, __defaults: [], c: [{ __defaults: ["x"], d: 1 }] }),
            { a: { [SIG]: SECRET, value: true }, b: { [SIG]: SECRET, value: "[secret]" }, c: [{ __defaults: ["x"], d: 1 }] });
    });

    it("stack exports: providers and the stack skipped, ids of aws resources in the outputs", async () => {
        const stacks = await loadFile(path.join(ROOT, exportOf("isolated-model")));
        assert.strictEqual(stacks.length, 1);
        const s = stacks[0];
        assert.deepStrictEqual([s.stack, s.project, s.source], ["prod", "isolated-model", "export"]);
        assert.ok(s.resources.every(r => !r.type.startsWith("pulumi:")));
        const subnet = s.resources.find(r => r.name === "private-a" && r.type === "aws:ec2/subnet:Subnet")!;
        assert.strictEqual(outputsOf(subnet)["id"], "subnet-0b4e6a8c0d2f41357");
        assert.ok(!("__defaults" in subnet.inputs));
        const model = s.resources.find(r => r.type === "aws:sagemaker/model:Model")!;
        assert.strictEqual(model.propertyDependencies["vpcConfig"].length, 3);
        // Without the id in the outputs, the export's id is used.
        const f = writeTmp("no-id.json", { deployment: { resources: [{ urn: subnet.urn, type: subnet.type, id: "subnet-1", inputs: {}, outputs: {} }] } });
        assert.strictEqual(outputsOf((await loadFile(f))[0].resources[0])["id"], "subnet-1");
    });

    it("throws a UsageError naming the file", async () => {
        await assert.rejects(() => loadFile(path.join(tmp, "missing.json")), (e: Error) => e instanceof UsageError && e.message.endsWith("missing.json: no such file"));
    });
});

describe("check command: configuration", () => {
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
