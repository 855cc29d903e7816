/**
 * AWS's own records as inputs of the check command (cli/inputs/cloudtrail.ts,
 * cli/inputs/describe.ts, cli/inputs/files.ts). Fixtures: tests/fixtures/aws-records/ (see its
 * README for the documented formats they follow).
 */
import { modelNetworkIsolation, processingNetworkIsolation, trainingNetworkIsolation } from "../rules";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { proto } from "../../cli/engine/client";
import { loadFile } from "../../cli/inputs";
import { camelCased } from "../../cli/inputs/describe";
import { jsonFiles } from "../../cli/inputs/files";
import { JsonError, parseJson } from "../../cli/inputs/stream";
import { RECORD_KINDS } from "../../cli/inputs/records";
import { policies } from "../../policies/catalogue/index";
import { StackInput } from "../../cli/inputs/types";
import { extract } from "../../policies/workloads";
import { isolationName } from "../harness";
import { assertUsageError, EUW1_FILE, FIXTURES, tempFolder, TRAIL, trailRecords, USE1_FILE } from "./aws-records";

const LOOKUP = path.join(FIXTURES, "lookup-events", "sagemaker-us-west-2.json");
const DESCRIBE = path.join(FIXTURES, "describe");

/** The policies that judge records: the isolation rules, then the rules of notebook instances and Studio domains. */

/** The pack's workloads of a record's resource, as the policies see them: kind, isolation, path. */
function workloads(s: StackInput, name: string): string[] {
    const r = s.resources.find(x => x.name === name);
    assert.ok(r, `${name} in ${s.stack}`);
    return extract(r.type, r.inputs).workloads.map(w => `${w.kind} ${isolationName(w.isolation)} ${w.isolationPath}`);
}

describe("AWS records as inputs (cli/inputs/cloudtrail.ts, cli/inputs/describe.ts)", () => {
    const tmp = tempFolder("aws-records-");
    const writeTmp = tmp.write;

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
            // Only successful SageMaker Create* calls of the kinds the pack judges become resources
            // (an endpoint configuration too: issue 24).
            assert.deepStrictEqual(us.resources.map(r => [r.type, r.name]), [
                ["aws-native:sagemaker:Model", "fraud-scorer-v3"],
                ["aws-native:sagemaker:EndpointConfig", "fraud-scorer-v3"],
                ["aws:sagemaker/trainingJob:TrainingJob", "fraud-xgb-2024-03-04"],
                ["aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob", "fraud-hpo-0321"],
            ]);
            assert.deepStrictEqual(eu.resources.map(r => r.type), [
                "aws-native:sagemaker:Model", "aws-native:sagemaker:ProcessingJob",
                "aws-native:sagemaker:DataQualityJobDefinition", "aws-native:sagemaker:MonitoringSchedule",
            ]);
            const model = us.resources[0];
            assert.strictEqual(model.urn, "urn:pulumi:111122223333-us-east-1::cloudtrail::cloudtrail:event:3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43$aws-native:sagemaker:Model::fraud-scorer-v3");
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
            const dir = path.join(tmp.dir(), "twice");
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
                [["111122223333-eu-west-1", 4, 0], ["111122223333-us-east-1", 3, 1]]);
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
                "kmeans-2024-03-18", "ExampleModel",
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
                    name: "fraud-scorer-v3", account: "111122223333", region: "us-east-1", time: "2024-03-04T09:02:41.532Z" });
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
            await assertUsageError(() => loadFile(path.join(tmp.dir(), "bad-folder")), path.join(tmp.dir(), "bad-folder/AWSLogs/x.json.gz"), /not a valid gzip file/);
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
            fs.mkdirSync(path.join(tmp.dir(), "empty-dir"));
            await assertUsageError(() => loadFile(path.join(tmp.dir(), "empty-dir")), path.join(tmp.dir(), "empty-dir"), /no \.json, \.jsonl or \.json\.gz file/);
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
});
