/**
 * The audit evidence computed from AWS's records (cli/reports/evidence.ts) and the check command
 * on them. Fixtures: tests/fixtures/aws-records/.
 */
import { frameworkIsolationCompatibility, modelNetworkIsolation, notebookNetworkAccess, processingNetworkIsolation, studioVpcOnly, trainingNetworkIsolation } from "../rules";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Evaluation, PolicyResult, score, StackResult } from "../../cli/engine/results";
import { loadFile } from "../../cli/inputs";
import { policies } from "../../policies/catalogue/index";
import { RecordSet, StackInput } from "../../cli/inputs/types";
import { buildEvidence, evidenceOf, Verdicts } from "../../cli/reports/evidence";
import { evidenceMarkdown } from "../../cli/reports/evidence-markdown";
import { noteMessage } from "../../policies/values/wire";
import { EUW1_FILE, FIXTURES, tempFolder, TRAIL, trailRecords, USE1_FILE } from "./aws-records";
import { ROOT, run } from "./run";

const LOOKUP = path.join(FIXTURES, "lookup-events", "sagemaker-us-west-2.json");
const DESCRIBE = path.join(FIXTURES, "describe");

/** The policies that judge records: the isolation rules, then the rules of notebook instances and Studio domains. */
const ISOLATION_POLICIES = [modelNetworkIsolation.name, trainingNetworkIsolation.name, processingNetworkIsolation.name, notebookNetworkAccess.name, studioVpcOnly.name];

describe("AWS records as evidence (cli/reports/evidence.ts)", () => {
    const tmp = tempFolder("aws-records-");
    const writeTmp = tmp.write;

describe("audit evidence (cli/reports/evidence.ts)", () => {
    const ALL = new Set(policies.map(p => p.name));
    const sets = async (...files: string[]): Promise<RecordSet[]> => (await Promise.all(files.map(f => loadFile(f)))).flat().map(s => s.records!);
    const urnOf = (ss: RecordSet[], name: string) => ss.flatMap(s => s.records).find(r => r.name === name)!.urn;

    it("from the pack's verdicts: a diagnostic of the kind's isolation policy is an exception, not-applicable is not judged", async () => {
        const ss = await sets(TRAIL);
        const verdicts: Verdicts = {
            enabled: ALL,
            byUrn: new Map([
                [urnOf(ss, "churn-model-eu"), { reported: [modelNetworkIsolation.name], notApplicable: [] }],
                // Another policy's diagnostic says nothing about isolation.
                [urnOf(ss, "fraud-xgb-2024-03-04"), { reported: [frameworkIsolationCompatibility.name], notApplicable: [] }],
                [urnOf(ss, "churn-data-quality-hourly"), { reported: [], notApplicable: [{ policyName: processingNetworkIsolation.name, reason: "Declares no SageMaker model or job" }] }],
            ]),
        };
        const ev = buildEvidence(ss, verdicts)!;
        assert.deepStrictEqual(ev.policies, ISOLATION_POLICIES);
        assert.strictEqual(ev.describe, undefined);
        const ct = ev.cloudTrail!;
        assert.deepStrictEqual(ct.accounts.map(a => a.summary), [
            "Account 111122223333: 2 models and 5 jobs (1 training job, 1 hyperparameter tuning job, 1 processing job, 1 data quality job definition, " +
            "1 monitoring schedule), 1 endpoint configuration created between 2024-03-04T08:58:07Z and 2024-03-21T16:36:45Z in regions eu-west-1, us-east-1; " +
            "1 without network isolation, 1 not judged (listed below). 1 create call rejected by AWS created nothing (listed below).",
        ]);
        assert.deepStrictEqual(ct.regions.map(r => r.byKind["EndpointConfig"] ?? 0), [0, 1], "the endpoint configuration the trail creates (issue 24)");
        assert.deepStrictEqual(ct.regions.map(r => [r.region, r.first, r.last, r.models, r.jobs, r.withoutIsolation, r.notJudged, r.rejected]), [
            ["eu-west-1", "2024-03-12T10:48:19Z", "2024-03-12T11:11:40Z", 1, 3, 1, 1, 0],
            ["us-east-1", "2024-03-04T08:58:07Z", "2024-03-21T16:36:45Z", 1, 2, 0, 0, 1],
        ]);
        assert.deepStrictEqual(ct.withoutIsolation.map(r => [r.time, r.region, r.eventId, r.caller, r.name]), [
            ["2024-03-12T11:02:37Z", "eu-west-1", "0d2f4b6d-8f0b-4d2f-8b4d-6f8b0d2f4b68", "arn:aws:sts::111122223333:assumed-role/ml-deploy/ci-pipeline-4821", "churn-model-eu"],
        ]);
        assert.deepStrictEqual(ct.notJudged.map(r => [r.name, r.reason]), [["churn-data-quality-hourly", "Declares no SageMaker model or job"]]);
        assert.deepStrictEqual(ct.rejected.map(x => [x.eventName, x.errorCode]), [["CreateTrainingJob", "ValidationException"]]);
        const md = evidenceMarkdown(ev).join("\n");
        assert.ok(md.includes(`**${ct.accounts[0].summary}**`));
        assert.match(md, new RegExp(String.raw`\| 2024-03-12T11:02:37Z \| \`111122223333\` \| eu-west-1 \| model \| \`churn-model-eu\` \| \`0d2f4b6d-8f0b-4d2f-8b4d-6f8b0d2f4b68\` \| \`arn:aws:sts::111122223333:assumed-role\/ml-deploy\/ci-pipeline-4821\` \| \`${modelNetworkIsolation.name}\` \|`));
        assert.match(md, /\| 2024-03-04T09:07:55Z \| `111122223333` \| us-east-1 \| CreateTrainingJob \| `vendor-churn-trial-0304` \| `ValidationException` \| EnableNetworkIsolation must be true for jobs using SageMaker Marketplace algorithms\. \| `9a4c2e6f-1b3d-4f5a-8c7e-6d0b2a4c6e88` \|/);
        // Never a request value: no image, S3 location, role or hyperparameter.
        for (const value of ["dkr.ecr", "s3://", ":role/", "binary:logistic", "0.83"]) {
            assert.ok(!md.includes(value) && !JSON.stringify(ev).includes(value), value);
        }
    });

    it("all isolated: the sentence an auditor asks for; a disabled policy judges nothing", async () => {
        const ss = await sets(USE1_FILE);
        const ev = buildEvidence(ss, { enabled: ALL, byUrn: new Map() })!;
        assert.deepStrictEqual(ev.cloudTrail!.accounts.map(a => a.summary), [
            "Account 111122223333: 1 model and 1 job (1 training job), 1 endpoint configuration created between 2024-03-04T08:58:07Z and 2024-03-04T09:09:30Z " +
            "in region us-east-1; all with network isolation. 1 create call rejected by AWS created nothing (listed below).",
        ]);
        const off = buildEvidence(ss, { enabled: new Set([...ALL].filter(p => p !== trainingNetworkIsolation.name)), byUrn: new Map() })!;
        assert.deepStrictEqual(off.cloudTrail!.notJudged.map(r => [r.kind, r.reason]), [["TrainingJob", `${trainingNetworkIsolation.name} is disabled`]]);
        assert.match(off.cloudTrail!.accounts[0].summary, /; 1 not judged \(listed below\)\./);
    });

    it("the same call read twice (a trail file and lookup-events) counts once; periods of the same region merge", async () => {
        const once = buildEvidence(await sets(TRAIL), { enabled: ALL, byUrn: new Map() })!;
        const twice = buildEvidence(await sets(TRAIL, USE1_FILE, EUW1_FILE), { enabled: ALL, byUrn: new Map() })!;
        assert.deepStrictEqual(twice, once);
    });

    it("no events at all, no creates", async () => {
        const none = buildEvidence(await sets(writeTmp("none.json", { Events: [] })), { enabled: ALL, byUrn: new Map() })!;
        assert.deepStrictEqual(none.cloudTrail!.accounts, []);
        assert.match(evidenceMarkdown(none).join("\n"), /The CloudTrail records hold no event\./);
        const sts = trailRecords(USE1_FILE)[0];
        const quiet = buildEvidence(await sets(writeTmp("quiet.json", { Records: [sts] })), { enabled: ALL, byUrn: new Map() })!;
        assert.deepStrictEqual(quiet.cloudTrail!.accounts.map(a => a.summary),
            ["Account 111122223333: 0 models and 0 jobs created between 2024-03-04T08:58:07Z and 2024-03-04T08:58:07Z in region us-east-1."]);
        assert.strictEqual(buildEvidence([], { enabled: ALL, byUrn: new Map() }), undefined);
        assert.deepStrictEqual(evidenceMarkdown(undefined), []);
    });

    it("describe-* outputs: the current resources with their isolation state", async () => {
        const ss = await sets(DESCRIBE);
        const ev = buildEvidence(ss, {
            enabled: ALL, byUrn: new Map([
                [urnOf(ss, "churn-model-eu"), { reported: [modelNetworkIsolation.name], notApplicable: [] }],
            ]),
        })!;
        assert.strictEqual(ev.cloudTrail, undefined);
        const d = ev.describe!;
        assert.deepStrictEqual(d.accounts.map(a => [a.summary, a.models, a.jobs]), [[
            "Account 111122223333: 3 models and 9 jobs (1 training job, 1 hyperparameter tuning job, 1 processing job, 1 data quality job definition, " +
            "1 model quality job definition, 1 model bias job definition, 1 model explainability job definition, 2 monitoring schedules) " +
            "in regions eu-west-1, us-east-1; 1 without network isolation (listed below).", 3, 9]]);
        assert.deepStrictEqual(d.resources.slice(0, 3).map(r => [r.region, r.kind, r.name, r.isolation]), [
            ["eu-west-1", "Model", "churn-model-eu", "off"], ["eu-west-1", "ProcessingJob", "churn-features-0312", "on"], ["us-east-1", "Model", "fraud-scorer-v3", "on"],
        ]);
        assert.match(evidenceMarkdown(ev).join("\n"), /\| `111122223333` \| eu-west-1 \| model \| `churn-model-eu` \| 2024-03-12T11:02:37\.918Z \| \*\*not isolated\*\* \|/);
    });

    it("from an evaluation: diagnostics, remediations and not-applicable lists on the records' URNs; levels from the configuration", async () => {
        const stacks = await loadFile(TRAIL);
        const [eu, us] = stacks;
        const result = (input: StackInput, extra: Partial<StackResult>): StackResult => ({
            input, findings: [], results: [], remediated: [],
            scores: { policies: score(0, 0), resources: score(0, 0) }, ...extra,
        });
        const outcome = (urn: string, policyName: string, o: PolicyResult["outcome"], reason?: string): PolicyResult =>
            ({ policyName, urn, resourceName: "", resourceType: "", outcome: o, ...(reason ? { reason } : {}) });
        const finding = (urn: string, policyName: string, message: string) =>
            ({ policyName, urn, message, level: "advisory" as const, resourceName: "", resourceType: "" });
        const config = Object.fromEntries(policies.map(p => [p.name, { enforcementLevel: "advisory" as const }]));
        const evaluation = {
            info: { name: "p", version: "1", supportsConfig: true, policies: [] }, config,
            stacks: [
                result(eu, {
                    findings: [
                        finding(eu.resources[0].urn, modelNetworkIsolation.name, "churn-model-eu: enableNetworkIsolation is not set"),
                        finding(eu.resources[2].urn, processingNetworkIsolation.name, noteMessage(true, "churn: networkConfig.enableNetworkIsolation is not known yet")),
                    ],
                    results: [
                        outcome(eu.resources[0].urn, modelNetworkIsolation.name, "failed"),
                        // A note is a failed result in Pulumi Cloud's count, but says nothing of isolation.
                        outcome(eu.resources[2].urn, processingNetworkIsolation.name, "failed"),
                        outcome(eu.resources[3].urn, processingNetworkIsolation.name, "not-applicable", "Declares no SageMaker model or job"),
                    ],
                }),
                // At level "remediate" the pack turns isolation on before Analyze: the record still had it off.
                result(us, { remediated: [{ policyName: trainingNetworkIsolation.name, urn: us.resources.find(x => x.name === "fraud-xgb-2024-03-04")!.urn, resourceName: "", resourceType: "" }] }),
                result({ file: "x", source: "export", stack: "dev", project: "p", resources: [] }, { results: [outcome("urn:pulumi:dev::p::t::n", modelNetworkIsolation.name, "failed")] }),
            ],
        } as Evaluation;
        const ev = evidenceOf(evaluation)!;
        assert.deepStrictEqual(ev.cloudTrail!.withoutIsolation.map(r => r.name), ["fraud-xgb-2024-03-04", "churn-model-eu"]);
        assert.deepStrictEqual(ev.cloudTrail!.notJudged.map(r => [r.name, r.reason]), [
            [eu.resources[2].name, noteMessage(true, "churn: networkConfig.enableNetworkIsolation is not known yet")],
            ["churn-data-quality-hourly", "Declares no SageMaker model or job"],
        ]);
        assert.strictEqual(evidenceOf({ ...evaluation, stacks: [evaluation.stacks[2]] }), undefined, "no records, no evidence");
    });
});

// ---------------------------------------------------------------------------------------------

describe("check command on AWS records (bin/cli/check.js)", function () {
    this.timeout(120000);
    const rel = (f: string) => path.relative(ROOT, f);
    const ALL_RECORDS = [TRAIL, LOOKUP, DESCRIBE].map(rel);

    it("--format markdown has the Evidence section and --format json the same figures", async () => {
        const [md, js] = await Promise.all([run(["--format", "markdown", ...ALL_RECORDS]), run(["--format", "json", ...ALL_RECORDS])]);
        assert.strictEqual(md.code, 0, md.stderr);
        assert.strictEqual(js.code, 0, js.stderr);
        // The fixture trail's us-east-1 files are of 2024-03-04 and 2024-03-21 only: the days between are said (./records-trail-gaps.test.ts).
        const gap = "sagemaker-isolation-check: warning: tests/fixtures/aws-records/trail: us-east-1 (111122223333): no log file for 2024-03-05, ";
        assert.ok(md.stderr.startsWith(gap) && js.stderr.startsWith(gap), md.stderr);
        assert.strictEqual(md.stderr.split("\n").length + js.stderr.split("\n").length, 4, md.stderr + js.stderr);
        const ev = JSON.parse(js.stdout).evidence;
        const text = md.stdout;
        const section = text.slice(text.indexOf("\n## Evidence\n"));
        assert.ok(section.length > 20, "an Evidence section");
        assert.ok(text.includes("Source: `tests/fixtures/aws-records/trail` (CloudTrail records)."));
        // The sentences, word for word, in both.
        const sentences = [...ev.cloudTrail.accounts, ...ev.describe.accounts].map((a: { summary: string }) => a.summary);
        assert.deepStrictEqual(sentences, [
            "Account 111122223333: 2 models and 5 jobs (1 training job, 1 hyperparameter tuning job, 1 processing job, 1 data quality job definition, " +
            "1 monitoring schedule), 1 endpoint configuration created between 2024-03-04T08:58:07Z and 2024-03-21T16:36:45Z in regions eu-west-1, us-east-1; " +
            "1 without network isolation, 2 not judged (listed below). 1 create call rejected by AWS created nothing (listed below).",
            "Account 123456789012: 1 model and 1 job (1 training job) created between 2024-03-14T13:39:06Z and 2024-03-18T09:12:30Z in region us-west-2; " +
            "1 without network isolation (listed below).",
            "Account 111122223333: 3 models and 9 jobs (1 training job, 1 hyperparameter tuning job, 1 processing job, 1 data quality job definition, " +
            "1 model quality job definition, 1 model bias job definition, 1 model explainability job definition, 2 monitoring schedules) " +
            "in regions eu-west-1, us-east-1; 2 without network isolation, 1 not judged (listed below).",
        ]);
        for (const s of sentences) {
            assert.ok(section.includes(`**${s}**`), s);
        }
        // The per-region figures and every exception, rejected call and resource, in both.
        for (const r of ev.cloudTrail.regions) {
            // The trail creates an endpoint configuration (issue 24): its column, in every Region's row.
            assert.ok(section.includes(`| \`${r.account}\` | ${r.region} | ${r.first} | ${r.last} | ${r.models} | ${r.jobs} | ${r.byKind.EndpointConfig ?? 0} | ` +
                `${r.withoutIsolation} | ${r.notJudged} | ${r.rejected} |`), r.region);
        }
        assert.deepStrictEqual(ev.cloudTrail.withoutIsolation.map((r: { name: string }) => r.name), ["churn-model-eu", "ExampleModel"]);
        for (const r of [...ev.cloudTrail.withoutIsolation, ...ev.cloudTrail.notJudged, ...ev.cloudTrail.rejected]) {
            assert.ok(section.includes(`| ${r.time} | \`${r.account}\` | ${r.region} |`) && section.includes(`\`${r.eventId}\` | \`${r.caller}\``), r.eventId);
        }
        // The schedule that runs a job definition by name: the pack's not-applicable reason.
        // An endpoint configuration that hosts a model: its isolation is the model's (the pack's not-applicable reason).
        assert.deepStrictEqual(ev.cloudTrail.notJudged.map((r: { name: string; reason: string }) => [r.name, r.reason]),
            [["fraud-scorer-v3", "The endpoint configuration hosts no inference component (every variant names a model, judged on the model)"], ["churn-data-quality-hourly", "Declares no SageMaker model or job"]]);
        assert.ok(section.includes("| Models | Jobs | Endpoint configurations | Without isolation |"), "the endpoint configurations' column");
        assert.deepStrictEqual(ev.describe.resources.filter((r: { isolation: string }) => r.isolation !== "on").map((r: { name: string; isolation: string }) => [r.name, r.isolation]),
            [["churn-model-eu", "off"], ["fraud-model-explainability", "off"], ["fraud-data-quality-hourly", "not judged"]]);
        for (const r of ev.describe.resources) {
            assert.ok(section.includes(`| \`${r.account}\` | ${r.region} | `) && section.includes(`| \`${r.name}\` | ${r.time} | `), r.name);
        }
        assert.match(section, /\| `111122223333` \| us-east-1 \| model explainability job definition \| `fraud-model-explainability` \| [^|]+ \| \*\*not isolated\*\* \|/);
        // No request value in the evidence: no image, S3 location, role or environment value.
        for (const value of ["dkr.ecr", "s3://", ":role/", "0.83", "binary:logistic"]) {
            assert.ok(!section.includes(value) && !JSON.stringify(ev).includes(value), value);
        }
        // The records' findings are the pack's own, in the usual sections.
        assert.match(text, new RegExp(String.raw`\| advisory \| \`${modelNetworkIsolation.name}\` \| \`churn-model-eu\` \| churn-model-eu: enableNetworkIsolation is not set`));
    });

    it("exemptions and disabled policies: listed as not judged, with the pack's reason", async () => {
        const config = writeTmp("records-config.json", {
            [modelNetworkIsolation.name]: { exemptions: [{ resource: "churn-model-*", reason: "retired in April (AUD-7)" }] },
            [processingNetworkIsolation.name]: "disabled",
        });
        const r = await run(["--config", config, "--format", "json", rel(TRAIL)]);
        assert.strictEqual(r.code, 0, r.stderr);
        const ct = JSON.parse(r.stdout).evidence.cloudTrail;
        assert.deepStrictEqual(ct.withoutIsolation, []);
        assert.deepStrictEqual(ct.notJudged.map((x: { name: string; reason: string }) => [x.name, x.reason]), [
            ["fraud-scorer-v3", "The endpoint configuration hosts no inference component (every variant names a model, judged on the model)"],
            ["churn-model-eu", 'Exempted by "churn-model-*": retired in April (AUD-7)'],
            ["churn-features-0312", `${processingNetworkIsolation.name} is disabled`],
            ["churn-data-quality", `${processingNetworkIsolation.name} is disabled`],
            ["churn-data-quality-hourly", `${processingNetworkIsolation.name} is disabled`],
        ]);
    });

    it("bad input: exit 2 and one line naming the file", async () => {
        const bytes = fs.readFileSync(USE1_FILE);
        const { requestParameters: _, ...noParams } = trailRecords(USE1_FILE)[1];
        const cases: [string, RegExp][] = [
            [writeTmp("cmd/truncated.json.gz", bytes.subarray(0, bytes.length - 25)), /not a valid gzip file \(unexpected end of file\)$/],
            [writeTmp("cmd/unknown.json", { Models: [] }), /not a `pulumi stack export`.*nor a CloudTrail log/],
            [writeTmp("cmd/no-params.json", { Records: [noParams] }), /Records\[0\] \(CreateModel 3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43\) has no requestParameters/],
        ];
        const runs = await Promise.all(cases.map(([f]) => run([f])));
        runs.forEach((r, i) => {
            const [file, problem] = cases[i];
            assert.strictEqual(r.code, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.strictEqual(r.stderr.split("\n").length, 2, r.stderr);
            assert.ok(r.stderr.startsWith(`sagemaker-isolation-check: ${file}: `), r.stderr);
            assert.match(r.stderr.trimEnd(), problem);
        });
    });
});

// ---------------------------------------------------------------------------------------------
});
