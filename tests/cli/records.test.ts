/**
 * AWS's own records as inputs of the check command (cli/inputs/cloudtrail.ts,
 * cli/inputs/describe.ts, cli/inputs/files.ts) and the audit evidence computed from them
 * (cli/reports/evidence.ts). Fixtures: tests/fixtures/aws-records/ (see its README for the
 * documented formats they follow).
 */
import { frameworkIsolationCompatibility, modelNetworkIsolation, notebookNetworkAccess, processingNetworkIsolation, studioVpcOnly, trainingNetworkIsolation } from "../rules";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { proto } from "../../cli/engine/client";
import { Evaluation, PolicyResult, score, StackResult } from "../../cli/engine/results";
import { loadFile } from "../../cli/inputs";
import { camelCased } from "../../cli/inputs/describe";
import { jsonFiles } from "../../cli/inputs/files";
import { JsonError, parseJson } from "../../cli/inputs/stream";
import { latestSettings, RECORD_KINDS } from "../../cli/inputs/records";
import { hideQuoted } from "../../cli/inputs/cloudtrail";
import { policies, typeRule } from "../../policies/catalogue/index";
import { RecordSet, StackInput } from "../../cli/inputs/types";
import { buildEvidence, evidenceMarkdown, evidenceOf, Verdicts } from "../../cli/reports/evidence";
import { extract } from "../../policies/workloads";
import { isolationName } from "../harness";
import { noteMessage } from "../../policies/values/wire";
import { assertUsageError, EUW1_FILE, FIXTURES, NOTEBOOKS, TRAIL, trailRecords, USE1_FILE, writeIn } from "./aws-records";
import { ROOT, run } from "./run";

const LOOKUP = path.join(FIXTURES, "lookup-events", "sagemaker-us-west-2.json");
const DESCRIBE = path.join(FIXTURES, "describe");

/** The policies that judge records: the isolation rules, then the rules of notebook instances and Studio domains. */
const ISOLATION_POLICIES = [modelNetworkIsolation.name, trainingNetworkIsolation.name, processingNetworkIsolation.name, notebookNetworkAccess.name, studioVpcOnly.name];

let tmp: string;

const writeTmp = (name: string, content: string | Buffer | object) => writeIn(tmp, name, content);


/** The pack's workloads of a record's resource, as the policies see them: kind, isolation, path. */
function workloads(s: StackInput, name: string): string[] {
    const r = s.resources.find(x => x.name === name || x.name.startsWith(`${name}@`));
    assert.ok(r, `${name} in ${s.stack}`);
    return extract(r.type, r.inputs).workloads.map(w => `${w.kind} ${isolationName(w.isolation)} ${w.isolationPath}`);
}

describe("AWS records (cli/inputs/records.ts, cli/reports/evidence.ts)", () => {
before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aws-records-"));
});
after(() => {
    if (tmp) {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});

describe("AWS records as check inputs (cli/inputs/cloudtrail.ts, cli/inputs/describe.ts)", () => {
    it("the kinds name the pack's own isolation policies and resource types it judges", () => {
        const names = new Set(policies.map(p => p.name));
        for (const k of RECORD_KINDS) {
            assert.ok(names.has(k.policy), k.policy);
        }
        const policyOf = Object.fromEntries(RECORD_KINDS.map(k => [k.kind, k.policy]));
        assert.strictEqual(policyOf.Model, modelNetworkIsolation.name);
        assert.strictEqual(policyOf.TrainingJob, trainingNetworkIsolation.name);
        assert.strictEqual(policyOf.HyperParameterTuningJob, trainingNetworkIsolation.name);
        for (const k of ["ProcessingJob", "DataQualityJobDefinition", "ModelQualityJobDefinition", "ModelBiasJobDefinition", "ModelExplainabilityJobDefinition", "MonitoringSchedule"]) {
            assert.strictEqual(policyOf[k], processingNetworkIsolation.name, k);
        }
    });

    describe("CloudTrail logs as a trail delivers them", () => {
        it("a folder in the S3 layout: gzip files read recursively, one pseudo-stack per account and region, digest files skipped", async () => {
            const files = jsonFiles(TRAIL);
            assert.strictEqual(files.length, 3);
            assert.ok(files.every(f => f.includes(`${path.sep}CloudTrail${path.sep}`)), "no CloudTrail-Digest file");
            const stacks = await loadFile(TRAIL);
            assert.deepStrictEqual(stacks.map(s => [s.stack, s.project, s.source, s.file]), [
                ["111122223333-eu-west-1", "cloudtrail", "cloudtrail", TRAIL],
                ["111122223333-us-east-1", "cloudtrail", "cloudtrail", TRAIL],
            ]);
            const [eu, us] = stacks;
            // Two files of us-east-1 (two days) merged; the period is that of all events, any service.
            assert.deepStrictEqual([us.records!.first, us.records!.last], ["2024-03-04T08:58:07Z", "2024-03-21T16:36:45Z"]);
            assert.deepStrictEqual([eu.records!.first, eu.records!.last], ["2024-03-12T10:48:19Z", "2024-03-12T11:11:40Z"]);
            // Only successful SageMaker Create* calls of the kinds the pack judges become resources.
            assert.deepStrictEqual(us.resources.map(r => [r.type, r.name]), [
                ["aws-native:sagemaker:Model", "fraud-scorer-v3@3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43"],
                ["aws:sagemaker/trainingJob:TrainingJob", "fraud-xgb-2024-03-04@c2e4a6f8-3d5b-4a7c-9e1f-8b0d2c4e6a19"],
                ["aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob", "fraud-hpo-0321@5f7a9c1e-2b4d-4c6e-8a0f-3d5b7c9e1a27"],
            ]);
            assert.deepStrictEqual(eu.resources.map(r => r.type), [
                "aws-native:sagemaker:Model", "aws-native:sagemaker:ProcessingJob",
                "aws-native:sagemaker:DataQualityJobDefinition", "aws-native:sagemaker:MonitoringSchedule",
            ]);
            const model = us.resources[0];
            assert.strictEqual(model.urn, "urn:pulumi:111122223333-us-east-1::cloudtrail::aws-native:sagemaker:Model::fraud-scorer-v3@3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43");
            assert.deepStrictEqual(model.inputs, trailRecords(USE1_FILE)[1].requestParameters, "the call's requestParameters, as they are");
            assert.deepStrictEqual(proto.AnalyzerResource.deserializeBinary(model.stackEntry).getProperties()!.toJavaScript(), model.inputs);
            assert.deepStrictEqual(us.records!.records[0], {
                urn: model.urn, kind: "Model", name: "fraud-scorer-v3", account: "111122223333", region: "us-east-1",
                time: "2024-03-04T09:02:41Z", eventId: "3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43",
                caller: "arn:aws:sts::111122223333:assumed-role/ml-deploy/ci-pipeline-4821",
            });
            // The Marketplace training job AWS refused: a rejected call, not a resource.
            assert.deepStrictEqual(us.records!.rejected, [{
                account: "111122223333", region: "us-east-1", time: "2024-03-04T09:07:55Z", eventId: "9a4c2e6f-1b3d-4f5a-8c7e-6d0b2a4c6e88",
                eventName: "CreateTrainingJob", errorCode: "ValidationException", caller: "arn:aws:sts::111122223333:assumed-role/ml-training/nightly-retrain",
                name: "vendor-churn-trial-0304", message: "EnableNetworkIsolation must be true for jobs using SageMaker Marketplace algorithms.",
            }]);
            assert.ok(!us.resources.some(r => r.name.startsWith("vendor-churn-trial")));
        });

        it("camelCase requestParameters are read by the pack's extractors as it reads Pulumi properties", async () => {
            const [eu, us] = await loadFile(TRAIL);
            assert.deepStrictEqual(workloads(us, "fraud-scorer-v3"), ["model on enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(us, "fraud-xgb-2024-03-04"), ["training on enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(us, "fraud-hpo-0321"), ["tuning on trainingJobDefinition.enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(eu, "churn-model-eu"), ["model absent enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(eu, "churn-features-0312"), ["processing on networkConfig.enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(eu, "churn-data-quality"), ["monitoring on networkConfig.enableNetworkIsolation"]);
            // A schedule that runs a job definition by name declares no job of its own.
            assert.deepStrictEqual(workloads(eu, "churn-data-quality-hourly"), []);
        });

        it("one gzip file on its own; the same file twice in a folder counts once", async () => {
            const [one] = await loadFile(EUW1_FILE);
            assert.deepStrictEqual([one.stack, one.file, one.resources.length], ["111122223333-eu-west-1", EUW1_FILE, 4]);
            const dir = path.join(tmp, "twice");
            writeTmp("twice/a/x.json.gz", fs.readFileSync(EUW1_FILE));
            writeTmp("twice/b/y.json", zlib.gunzipSync(fs.readFileSync(EUW1_FILE)));
            writeTmp("twice/notes.txt", "not read");
            const [merged] = await loadFile(dir);
            assert.strictEqual(merged.resources.length, 4);
            assert.strictEqual(merged.records!.records.length, 4);
        });

        it("events from several regions in one file; events from other services and reads only extend the period", async () => {
            const records = [...trailRecords(USE1_FILE), ...trailRecords(EUW1_FILE)];
            const stacks = await loadFile(writeTmp("multi-region.json", { Records: records }));
            assert.deepStrictEqual(stacks.map(s => [s.stack, s.resources.length, s.records!.rejected.length]),
                [["111122223333-eu-west-1", 4, 0], ["111122223333-us-east-1", 2, 1]]);
            assert.strictEqual(stacks[1].records!.first, "2024-03-04T08:58:07Z", "the STS event opens the period");
        });

        it("service events (AwsServiceEvent) are SageMaker's own actions, not calls: skipped", async () => {
            const ev = { ...trailRecords(USE1_FILE)[4], eventType: "AwsServiceEvent", requestParameters: null, eventID: "e0" };
            const [s] = await loadFile(writeTmp("service-event.json", { Records: [ev] }));
            assert.deepStrictEqual([s.resources.length, s.records!.first], [0, "2024-03-04T09:09:30Z"]);
        });

        it("records that hold no event: a pseudo-stack with nothing, still reported", async () => {
            const [s] = await loadFile(writeTmp("empty-trail.json", { Records: [] }));
            assert.deepStrictEqual([s.stack, s.source, s.resources.length, s.records!.first], ["no-events", "cloudtrail", 0, undefined]);
            const [l] = await loadFile(writeTmp("empty-lookup.json", { Events: [] }));
            assert.strictEqual(l.stack, "no-events");
        });
    });

    describe("aws cloudtrail lookup-events output", () => {
        it("each event's CloudTrailEvent string is read as a trail's record", async () => {
            const stacks = await loadFile(LOOKUP);
            assert.deepStrictEqual(stacks.map(s => [s.stack, s.project]), [["123456789012-us-west-2", "cloudtrail"]]);
            const [s] = stacks;
            assert.deepStrictEqual(s.resources.map(r => r.name), [
                "kmeans-2024-03-18@4d5e6f70-3c4d-4e5f-9a6b-7c8d9e0f1a2b", "ExampleModel@0f2b3e81-2b3c-4d4e-8f5a-6b7c8d9e0f1a",
            ]);
            assert.deepStrictEqual([s.records!.first, s.records!.last], ["2024-03-14T13:39:06Z", "2024-03-18T09:12:30Z"]);
            assert.deepStrictEqual(workloads(s, "ExampleModel"), ["model absent enableNetworkIsolation"]);
            assert.strictEqual(s.records!.records[1].caller, "arn:aws:iam::123456789012:user/intern");
        });

        it("single events, one a line (JSON Lines), are read too", async () => {
            const lines = trailRecords(EUW1_FILE).map(e => JSON.stringify(e)).join("\n") + "\n";
            const [s] = await loadFile(writeTmp("events.jsonl", lines));
            assert.deepStrictEqual([s.stack, s.resources.length], ["111122223333-eu-west-1", 4]);
        });
    });

    describe("aws sagemaker describe-* outputs", () => {
        it("a processing job that names the training job it serves (Debugger, profiler) stays a processing job", async () => {
            const jobs = JSON.parse(fs.readFileSync(path.join(DESCRIBE, "jobs.json"), "utf8")) as Record<string, unknown>[];
            const processing = jobs.find(j => typeof j["ProcessingJobName"] === "string")!;
            const debug = { ...processing, TrainingJobArn: "arn:aws:sagemaker:us-east-1:111122223333:training-job/fraud-xgb-2024-03-04" };
            const [s] = await loadFile(writeTmp("debugger-job.json", debug));
            assert.deepStrictEqual(s.resources.map(r => r.type), ["aws-native:sagemaker:ProcessingJob"]);
            assert.deepStrictEqual(s.records!.records.map(r => r.kind), ["ProcessingJob"]);
        });

        it("one object, JSON Lines, an array, concatenated outputs: every kind, judged as the same resource types", async () => {
            const stacks = await loadFile(DESCRIBE);
            assert.deepStrictEqual(stacks.map(s => [s.stack, s.project, s.source]),
                [["111122223333-eu-west-1", "sagemaker-describe", "describe"], ["111122223333-us-east-1", "sagemaker-describe", "describe"]]);
            const types = stacks.flatMap(s => s.resources.map(r => r.type));
            for (const k of RECORD_KINDS.filter(x => x.group === "model" || x.group === "job")) {
                assert.ok(types.includes(k.type), `a ${k.noun}`);
            }
            const [eu, us] = stacks;
            assert.strictEqual(us.resources.find(r => r.name === "fraud-scorer-v3")!.urn, "urn:pulumi:111122223333-us-east-1::sagemaker-describe::aws-native:sagemaker:Model::fraud-scorer-v3");
            assert.deepStrictEqual(workloads(us, "fraud-scorer-v3"), ["model on enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(eu, "churn-model-eu"), ["model off enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(us, "fraud-xgb-2024-03-04"), ["training on enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(us, "fraud-hpo-0321"), ["tuning on trainingJobDefinition.enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(eu, "churn-features-0312"), ["processing on networkConfig.enableNetworkIsolation"]);
            for (const d of ["fraud-data-quality", "fraud-model-quality", "fraud-model-bias"]) {
                assert.deepStrictEqual(workloads(us, d), ["monitoring on networkConfig.enableNetworkIsolation"], d);
            }
            assert.deepStrictEqual(workloads(us, "fraud-model-explainability"), ["monitoring absent networkConfig.enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(us, "fraud-legacy-monitor"),
                ["monitoring on monitoringScheduleConfig.monitoringJobDefinition.networkConfig.enableNetworkIsolation"]);
            assert.deepStrictEqual(workloads(us, "fraud-data-quality-hourly"), []);
            // The Marketplace model package is where the pack looks for it.
            const vendor = extract("aws-native:sagemaker:Model", us.resources.find(r => r.name === "vendor-sentiment")!.inputs).workloads[0];
            assert.strictEqual(vendor.containers[0].source!.path, "primaryContainer.modelPackageName");
            assert.deepStrictEqual(us.records!.records.find(r => r.name === "fraud-scorer-v3"),
                { urn: "urn:pulumi:111122223333-us-east-1::sagemaker-describe::aws-native:sagemaker:Model::fraud-scorer-v3", kind: "Model",
                    name: "fraud-scorer-v3", account: "111122223333", region: "us-east-1", time: "2024-03-04T09:02:41.532000+00:00" });
        });

        it("PascalCase members become camelCase; the keys of maps (environment, hyperparameters) stay as they are", async () => {
            assert.deepStrictEqual(camelCased({
                EnableNetworkIsolation: true,
                PrimaryContainer: { Image: "i", Environment: { SAGEMAKER_SUBMIT_DIRECTORY: "s3://b/k", Mode: "x" } },
                HyperParameters: { Sagemaker_Program: "train.py" },
                TrainingJobDefinitions: [{ StaticHyperParameters: { K: "1" }, VpcConfig: { Subnets: ["subnet-1"] } }],
            }), {
                enableNetworkIsolation: true,
                primaryContainer: { image: "i", environment: { SAGEMAKER_SUBMIT_DIRECTORY: "s3://b/k", Mode: "x" } },
                hyperParameters: { Sagemaker_Program: "train.py" },
                trainingJobDefinitions: [{ staticHyperParameters: { K: "1" }, vpcConfig: { subnets: ["subnet-1"] } }],
            });
            // The pack sees an S3 code location in a describe output's environment.
            const [s] = await loadFile(writeTmp("s3-code.json", {
                ModelName: "m", ModelArn: "arn:aws:sagemaker:us-east-1:111122223333:model/m", CreationTime: 1709542961.5,
                PrimaryContainer: { Image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310", Environment: { SAGEMAKER_SUBMIT_DIRECTORY: "s3://b/code.tar.gz" } },
                EnableNetworkIsolation: true,
            }));
            const w = extract(s.resources[0].type, s.resources[0].inputs).workloads[0];
            assert.strictEqual(w.containers[0].codeFromS3, "primaryContainer.environment.SAGEMAKER_SUBMIT_DIRECTORY");
            // CreationTime as the API returns it (epoch seconds) is shown in ISO 8601.
            assert.strictEqual(s.records!.records[0].time, "2024-03-04T09:02:41.500Z");
        });
    });

    describe("bad input: a one-line UsageError naming the file", () => {
        it("a truncated gzip file", async () => {
            const bytes = fs.readFileSync(USE1_FILE);
            const f = writeTmp("truncated.json.gz", bytes.subarray(0, Math.floor(bytes.length / 2)));
            await assertUsageError(() => loadFile(f), f, /not a valid gzip file \(unexpected end of file\)/);
            // In a folder: the file is named, not the folder.
            writeTmp("bad-folder/AWSLogs/x.json.gz", bytes.subarray(0, 40));
            await assertUsageError(() => loadFile(path.join(tmp, "bad-folder")), path.join(tmp, "bad-folder/AWSLogs/x.json.gz"), /not a valid gzip file/);
        });

        it("JSON that is none of the known kinds", async () => {
            const f = writeTmp("unknown.json", { ModelSummaries: [{ ModelName: "m" }] });
            await assertUsageError(() => loadFile(f), f, /not a `pulumi stack export`.*`pulumi preview --json`.*CloudTrail log, `aws cloudtrail lookup-events` or `aws sagemaker describe-\*` output, nor AWS Config records/);
            // Without its ARN member a describe output is not recognised either.
            const g = writeTmp("no-arn.json", { ModelName: "m", EnableNetworkIsolation: true });
            await assertUsageError(() => loadFile(g), g, /not a `pulumi stack export`/);
            // Records mixed with something else: the value is named.
            const h = writeTmp("mixed.json", [{ ModelName: "m", ModelArn: "arn:aws:sagemaker:us-east-1:111122223333:model/m" }, { Foo: 1 }]);
            await assertUsageError(() => loadFile(h), h, /: \[1\] is not a CloudTrail log or event/);
            const i = writeTmp("bad-arn.json", { ModelName: "m", ModelArn: "model/m" });
            await assertUsageError(() => loadFile(i), i, /: ModelArn is not an ARN with a region and an account$/);
        });

        it("a create event with no requestParameters (trail file, lookup-events, JSON Lines)", async () => {
            const ev = trailRecords(USE1_FILE)[1];
            const { requestParameters: _, ...without } = ev;
            const f = writeTmp("no-params.json", { Records: [trailRecords(USE1_FILE)[0], without] });
            await assertUsageError(() => loadFile(f), f, /: Records\[1\] \(CreateModel 3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43\) has no requestParameters/);
            const g = writeTmp("null-params.json", { Events: [{ EventId: "x", CloudTrailEvent: JSON.stringify({ ...ev, requestParameters: null }) }] });
            await assertUsageError(() => loadFile(g), g, /: Events\[0\]\.CloudTrailEvent \(CreateModel 3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43\) has no requestParameters/);
            const h = writeTmp("no-params.jsonl", `${JSON.stringify(trailRecords(USE1_FILE)[0])}\n${JSON.stringify(without)}\n`);
            await assertUsageError(() => loadFile(h), h, /: value 2 \(CreateModel .*\) has no requestParameters/);
            // A call AWS refused needs none: it created nothing.
            const rejected = { ...without, errorCode: "AccessDenied", errorMessage: "User is not authorized" };
            assert.strictEqual((await loadFile(writeTmp("refused.json", { Records: [rejected] })))[0].records!.rejected.length, 1);
        });

        it("other damage: a lookup event without CloudTrailEvent, a create without eventID, an empty folder, a broken line", async () => {
            const f = writeTmp("no-ct.json", { Events: [{ EventId: "x", EventName: "CreateModel" }] });
            await assertUsageError(() => loadFile(f), f, /: Events\[0\] has no CloudTrailEvent$/);
            const { eventID: _, ...noId } = trailRecords(USE1_FILE)[1];
            const g = writeTmp("no-id.json", { Records: [noId] });
            await assertUsageError(() => loadFile(g), g, /: Records\[0\] \(CreateModel\) has no eventID$/);
            fs.mkdirSync(path.join(tmp, "empty-dir"));
            await assertUsageError(() => loadFile(path.join(tmp, "empty-dir")), path.join(tmp, "empty-dir"), /no \.json, \.jsonl or \.json\.gz file/);
            const h = writeTmp("broken.jsonl", `{"Records": []}\n{"Records": [}\n`);
            await assertUsageError(() => loadFile(h), h, /not valid JSON/);
        });
    });

    describe("JSON values (cli/inputs/stream.ts parseJson)", () => {
        it("one document, JSON Lines, concatenated pretty-printed documents; braces inside strings", () => {
            assert.deepStrictEqual(parseJson(`[1, 2]`), [[1, 2]]);
            assert.deepStrictEqual(parseJson(`{"a": "}{"}\n{"b": "\\"{"}\n`), [{ a: "}{" }, { b: "\"{" }]);
            assert.deepStrictEqual(parseJson(`{\n    "a": [1]\n}\n{\n    "b": 2\n}\n`), [{ a: [1] }, { b: 2 }]);
            assert.throws(() => parseJson(`{"a": 1}\n{"b": }\n`), /unexpected character at line 2, column 7/);
            assert.throws(() => parseJson(`{"a": 1} 3`), JsonError);
            assert.throws(() => parseJson(`{"a": 1} {"b": [}`), JsonError);
        });
    });
});

// ---------------------------------------------------------------------------------------------

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
            "1 monitoring schedule) created between 2024-03-04T08:58:07Z and 2024-03-21T16:36:45Z in regions eu-west-1, us-east-1; " +
            "1 without network isolation, 1 not judged by the isolation policies (listed below). 1 create call rejected by AWS created nothing (listed below).",
        ]);
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
            "Account 111122223333: 1 model and 1 job (1 training job) created between 2024-03-04T08:58:07Z and 2024-03-04T09:09:30Z " +
            "in region us-east-1; all with network isolation. 1 create call rejected by AWS created nothing (listed below).",
        ]);
        const off = buildEvidence(ss, { enabled: new Set([...ALL].filter(p => p !== trainingNetworkIsolation.name)), byUrn: new Map() })!;
        assert.deepStrictEqual(off.cloudTrail!.notJudged.map(r => [r.kind, r.reason]), [["TrainingJob", `${trainingNetworkIsolation.name} is disabled`]]);
        assert.match(off.cloudTrail!.accounts[0].summary, /; 1 not judged by the isolation policies \(listed below\)\./);
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
        assert.match(evidenceMarkdown(ev).join("\n"), /\| `111122223333` \| eu-west-1 \| model \| `churn-model-eu` \| 2024-03-12T11:02:37\.918000\+00:00 \| \*\*off\*\* \|/);
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
                result(us, { remediated: [{ policyName: trainingNetworkIsolation.name, urn: us.resources[1].urn, resourceName: "", resourceType: "" }] }),
                result({ file: "x", source: "export", stack: "dev", project: "p", resources: [] }, { results: [outcome("urn:pulumi:dev::p::t::n", modelNetworkIsolation.name, "failed")] }),
            ],
        } as Evaluation;
        const ev = evidenceOf(evaluation)!;
        assert.deepStrictEqual(ev.cloudTrail!.withoutIsolation.map(r => r.name), ["fraud-xgb-2024-03-04", "churn-model-eu"]);
        assert.deepStrictEqual(ev.cloudTrail!.notJudged.map(r => [r.name, r.reason]), [
            [eu.resources[2].name.split("@")[0], noteMessage(true, "churn: networkConfig.enableNetworkIsolation is not known yet")],
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
        assert.strictEqual(md.stderr + js.stderr, "");
        const ev = JSON.parse(js.stdout).evidence;
        const text = md.stdout;
        const section = text.slice(text.indexOf("\n## Evidence\n"));
        assert.ok(section.length > 20, "an Evidence section");
        assert.ok(text.includes("Source: `tests/fixtures/aws-records/trail` (CloudTrail records)."));
        // The sentences, word for word, in both.
        const sentences = [...ev.cloudTrail.accounts, ...ev.describe.accounts].map((a: { summary: string }) => a.summary);
        assert.deepStrictEqual(sentences, [
            "Account 111122223333: 2 models and 5 jobs (1 training job, 1 hyperparameter tuning job, 1 processing job, 1 data quality job definition, " +
            "1 monitoring schedule) created between 2024-03-04T08:58:07Z and 2024-03-21T16:36:45Z in regions eu-west-1, us-east-1; " +
            "1 without network isolation, 1 not judged by the isolation policies (listed below). 1 create call rejected by AWS created nothing (listed below).",
            "Account 123456789012: 1 model and 1 job (1 training job) created between 2024-03-14T13:39:06Z and 2024-03-18T09:12:30Z in region us-west-2; " +
            "1 without network isolation (listed below).",
            "Account 111122223333: 3 models and 9 jobs (1 training job, 1 hyperparameter tuning job, 1 processing job, 1 data quality job definition, " +
            "1 model quality job definition, 1 model bias job definition, 1 model explainability job definition, 2 monitoring schedules) " +
            "in regions eu-west-1, us-east-1; 2 without network isolation, 1 not judged by the isolation policies (listed below).",
        ]);
        for (const s of sentences) {
            assert.ok(section.includes(`**${s}**`), s);
        }
        // The per-region figures and every exception, rejected call and resource, in both.
        for (const r of ev.cloudTrail.regions) {
            assert.ok(section.includes(`| \`${r.account}\` | ${r.region} | ${r.first} | ${r.last} | ${r.models} | ${r.jobs} | ${r.withoutIsolation} | ${r.notJudged} | ${r.rejected} |`), r.region);
        }
        assert.deepStrictEqual(ev.cloudTrail.withoutIsolation.map((r: { name: string }) => r.name), ["churn-model-eu", "ExampleModel"]);
        for (const r of [...ev.cloudTrail.withoutIsolation, ...ev.cloudTrail.notJudged, ...ev.cloudTrail.rejected]) {
            assert.ok(section.includes(`| ${r.time} | \`${r.account}\` | ${r.region} |`) && section.includes(`\`${r.eventId}\` | \`${r.caller}\``), r.eventId);
        }
        // The schedule that runs a job definition by name: the pack's not-applicable reason.
        assert.deepStrictEqual(ev.cloudTrail.notJudged.map((r: { name: string; reason: string }) => [r.name, r.reason]),
            [["churn-data-quality-hourly", "Declares no SageMaker model or job"]]);
        assert.deepStrictEqual(ev.describe.resources.filter((r: { isolation: string }) => r.isolation !== "on").map((r: { name: string; isolation: string }) => [r.name, r.isolation]),
            [["churn-model-eu", "off"], ["fraud-model-explainability", "off"], ["fraud-data-quality-hourly", "not judged"]]);
        for (const r of ev.describe.resources) {
            assert.ok(section.includes(`| \`${r.account}\` | ${r.region} | `) && section.includes(`| \`${r.name}\` | ${r.time} | `), r.name);
        }
        assert.match(section, /\| `111122223333` \| us-east-1 \| model explainability job definition \| `fraud-model-explainability` \| [^|]+ \| \*\*off\*\* \|/);
        // No request value in the evidence: no image, S3 location, role or environment value.
        for (const value of ["dkr.ecr", "s3://", ":role/", "0.83", "binary:logistic"]) {
            assert.ok(!section.includes(value) && !JSON.stringify(ev).includes(value), value);
        }
        // The records' findings are the pack's own, in the usual sections.
        assert.match(text, new RegExp(String.raw`\| advisory \| \`${modelNetworkIsolation.name}\` \| \`churn-model-eu@0d2f4b6d-8f0b-4d2f-8b4d-6f8b0d2f4b68\` \| churn-model-eu@0d2f4b6d-8f0b-4d2f-8b4d-6f8b0d2f4b68: enableNetworkIsolation is not set`));
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

describe("notebook instances and Studio domains as AWS records (issue 17)", function () {
    this.timeout(120000);
    const NB_LOOKUP = path.join(NOTEBOOKS, "lookup-events-us-east-1.json");
    const SECRET = "sk-live-4f9a2b7c1d0e";

    it("their kinds name the catalogue rule whose types include their type", () => {
        const policyOf = Object.fromEntries(RECORD_KINDS.map(k => [k.kind, k.policy]));
        assert.strictEqual(policyOf.NotebookInstance, notebookNetworkAccess.name);
        assert.strictEqual(policyOf.Domain, studioVpcOnly.name);
        for (const k of RECORD_KINDS.filter(x => x.workload === undefined)) {
            assert.strictEqual(typeRule(k.type)?.name, k.policy, k.kind);
        }
    });

    it("CloudTrail creates and updates: each resource judged once, on its latest known settings", async () => {
        const [s] = await loadFile(NB_LOOKUP);
        assert.strictEqual(s.resources.length, 6, "every call read: 2 + 1 notebook creates and updates, 1 + 2 domain calls");
        const [latest] = latestSettings([s]);
        const byName = new Map(latest.resources.map(r => [r.name.split("@")[0], r]));
        assert.deepStrictEqual([...byName.keys()].sort(), ["d-4xq7plmz2k1a", "fraud-analysis", "research-scratch"]);
        // The notebook's Update changed its instance type only: its create's network settings stand.
        assert.deepStrictEqual(byName.get("research-scratch")!.inputs, {
            notebookInstanceName: "research-scratch", instanceType: "ml.t3.xlarge", roleArn: "arn:aws:iam::111122223333:role/sagemaker-notebooks",
            directInternetAccess: "Enabled", volumeSizeInGB: 20,
        });
        // The domain's Update (named by DomainId) made it VpcOnly; the record keeps the create's name.
        const domain = byName.get("d-4xq7plmz2k1a")!;
        assert.strictEqual(domain.type, "aws-native:sagemaker:Domain");
        assert.strictEqual(domain.inputs["appNetworkAccessType"], "VpcOnly");
        assert.strictEqual(domain.inputs["domainName"], "studio-research");
        const records = latest.records!.records;
        assert.deepStrictEqual(records.map(r => `${r.kind} ${r.name} ${r.update ?? "create"}`).sort(), [
            "Domain d-9ab3kd02mq7c partial",
            "Domain studio-research latest",
            "NotebookInstance fraud-analysis create",
            "NotebookInstance research-scratch latest",
        ]);
        // An Update of a domain created before the records: kept as a record, never judged on half its settings.
        const partial = records.find(r => r.update === "partial")!;
        assert.ok(!latest.resources.some(r => r.urn === partial.urn));
    });

    it("describe-notebook-instance and describe-domain: members in camelCase, SecurityGroups as aws-native's securityGroupIds", async () => {
        const described = (await Promise.all(["describe-notebook-instance.json", "describe-domain.json"].map(f => loadFile(path.join(NOTEBOOKS, f))))).flat();
        const nb = described[0].resources.find(r => r.name === "fraud-analysis")!;
        assert.strictEqual(nb.type, "aws-native:sagemaker:NotebookInstance");
        assert.deepStrictEqual([nb.inputs["directInternetAccess"], nb.inputs["subnetId"], nb.inputs["securityGroupIds"], nb.inputs["securityGroups"]],
            ["Disabled", "subnet-0123456789abcdef0", ["sg-0a1b2c3d4e5f60718"], undefined]);
        const domain = described[1].resources[0];
        assert.deepStrictEqual([domain.type, domain.name, domain.inputs["appNetworkAccessType"], domain.inputs["vpcId"]],
            ["aws-native:sagemaker:Domain", "studio-research", "VpcOnly", "vpc-0a1b2c3d4e5f60718"]);
    });

    it("hideQuoted: every quoted value replaced, apostrophes in words kept, an open quote hides the rest", () => {
        assert.strictEqual(hideQuoted("Value 'abc' at 'kmsKeyId' failed: \"x\" and `y`."), "Value '…' at '…' failed: \"…\" and `…`.");
        assert.strictEqual(hideQuoted("Model doesn't exist: 'it's-mine'"), "Model doesn't exist: '…'");
        assert.strictEqual(hideQuoted("Bad value \"secret and more"), "Bad value \"…");
        assert.strictEqual(hideQuoted("no quotes"), "no quotes");
        // Linear: a long message of unclosed quotes is one pass.
        const long = "'".repeat(200000) + "x";
        assert.strictEqual(hideQuoted(long), "'…'".repeat(100000) + "x");
    });

    it("the check command: notebooks and domains counted apart; a rejected call names its resource, never a request value", async () => {
        const [md, js] = await Promise.all([run(["--format", "markdown", path.relative(ROOT, NOTEBOOKS)]), run(["--format", "json", path.relative(ROOT, NOTEBOOKS)])]);
        assert.strictEqual(md.code, 0, md.stderr);
        assert.strictEqual(js.code, 0, js.stderr);
        const ev = JSON.parse(js.stdout).evidence;
        assert.deepStrictEqual(ev.cloudTrail.accounts.map((a: { summary: string }) => a.summary), [
            "Account 111122223333: 2 notebook instances and 2 Studio domains created between 2024-03-06T09:14:02Z and 2024-03-18T16:12:51Z in region us-east-1; " +
            "1 notebook instance or domain outside the rules, 1 not judged by the isolation policies (listed below). 1 create call rejected by AWS created nothing (listed below).",
        ]);
        assert.deepStrictEqual(ev.cloudTrail.withoutIsolation.map((r: { name: string; update: string }) => [r.name, r.update]), [["research-scratch", "latest"]]);
        assert.deepStrictEqual(ev.cloudTrail.rejected.map((x: { name: string; message: string }) => [x.name, x.message]), [[
            "research-gpu",
            "2 validation errors detected: Value '…' at '…' failed to satisfy constraint: Member must satisfy regular expression pattern: \"…\"; " +
            "SubnetId is required when DirectInternetAccess is `…` (notebook instance research-gpu)",
        ]]);
        assert.deepStrictEqual(ev.describe.accounts.map((a: { summary: string }) => a.summary), [
            "Account 111122223333: 2 notebook instances and 1 Studio domain in region us-east-1; 1 notebook instance or domain outside the rules (listed below).",
        ]);
        const section = md.stdout.slice(md.stdout.indexOf("\n## Evidence\n"));
        assert.match(section, /\| CreateNotebookInstance \| `research-gpu` \| `ValidationException` \| 2 validation errors detected: Value '…' at '…'/);
        assert.match(section, /\| notebook instance \(updated\) \| `research-scratch` \|.*\| `sagemaker-notebook-network-access` \|/);
        // The secret-looking request value, quoted in AWS's errorMessage, appears nowhere.
        assert.ok(fs.readFileSync(NB_LOOKUP, "utf8").includes(SECRET), "the fixture holds it");
        for (const out of [md.stdout, js.stdout, md.stderr, js.stderr]) {
            assert.ok(!out.includes(SECRET) && !out.includes("4f9a2b7c1d0e"), "no request value");
        }
    });
});
});
