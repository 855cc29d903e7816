/**
 * AWS Config records as check inputs (cli/inputs/aws-config.ts) and their "Current state (AWS
 * Config)" evidence. Fixtures: tests/fixtures/aws-records/config/ (see its README).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { loadFile } from "../../cli/inputs";
import { StackInput } from "../../cli/inputs/types";
import { isolationRule, typeRule } from "../../policies/catalogue/index";
import { assertUsageError, CONFIG, tempFolder } from "./aws-records";
import { ROOT, run } from "./run";

const SNAPSHOTS = path.join(CONFIG, "snapshots");
const HISTORY = path.join(CONFIG, "get-resource-config-history.json");
const SELECT = path.join(CONFIG, "select-aggregate-resource-config.json");
const US_SNAPSHOT = path.join(SNAPSHOTS, "AWSLogs/111122223333/Config/us-east-1/2024/3/20/ConfigSnapshot/" +
    "111122223333_Config_us-east-1_ConfigSnapshot_20240320T040512Z_5c2e3a4f-6b7c-4d8e-9fa0-1b2c3d4e5f62.json.gz");




const names = (s: StackInput) => s.resources.map(r => `${r.type} ${r.name}`);

describe("AWS Config records (cli/inputs/aws-config.ts)", function () {
    this.timeout(120000);
    const { dir, write: writeTmp } = tempFolder("aws-config-");

    it("snapshots in the S3 layout: one pseudo-stack per account and region; the newest item of a resource wins", async () => {
        const read = await loadFile(SNAPSHOTS);
        assert.deepStrictEqual(read.map(s => [s.stack, s.project, s.source]), [
            ["111122223333-eu-west-1", "aws-config", "config"], ["111122223333-us-east-1", "aws-config", "config"],
        ]);
        // Both days' items of fraud-scorer-v3 are read; only the newest (isolation on) is kept, as they are read.
        const [eu, us] = read;
        assert.strictEqual(us.resources.filter(r => r.name === "fraud-scorer-v3").length, 1);
        assert.deepStrictEqual(names(us), [
            "aws-native:sagemaker:Model fraud-scorer-v3", "aws-native:sagemaker:NotebookInstance research-scratch",
            "aws-native:sagemaker:Domain studio-research", "aws-native:sagemaker:DataQualityJobDefinition fraud-data-quality",
        ], "the S3 bucket's item is not a kind the pack judges");
        const model = us.resources[0];
        assert.strictEqual(model.urn, "urn:pulumi:111122223333-us-east-1::aws-config::aws-native:sagemaker:Model::fraud-scorer-v3");
        assert.strictEqual(model.inputs["enableNetworkIsolation"], true);
        // PascalCase members in camelCase; the environment's keys as they are.
        assert.deepStrictEqual((model.inputs["primaryContainer"] as Record<string, unknown>)["environment"], { SCORING_THRESHOLD: "0.83" });
        assert.deepStrictEqual(us.records!.records[0], {
            urn: model.urn, kind: "Model", name: "fraud-scorer-v3", account: "111122223333", region: "us-east-1",
            time: "2024-03-20T04:02:17.381Z", resourceId: "fraud-scorer-v3", arn: "arn:aws:sagemaker:us-east-1:111122223333:model/fraud-scorer-v3",
        });
        assert.strictEqual(us.records!.last, "2024-03-20T04:04:51.208Z", "the newest capture time of any item");
        assert.deepStrictEqual(names(eu), ["aws-native:sagemaker:Model churn-model-eu", "aws-native:sagemaker:ModelExplainabilityJobDefinition churn-explainability"]);
    });

    it("get-resource-config-history (API spelling, configuration a JSON string): a deleted resource is listed, not judged", async () => {
        const [newest] = await loadFile(HISTORY);
        assert.deepStrictEqual(newest.resources, [], "the older item is dropped as it is read");
        assert.deepStrictEqual(newest.records!.notes, [{
            kind: "Model", name: "fraud-scorer-v1", account: "111122223333", region: "us-east-1", resourceId: "fraud-scorer-v1",
            time: "2024-03-14T17:22:08.430Z", status: "ResourceDeleted", arn: "arn:aws:sagemaker:us-east-1:111122223333:model/fraud-scorer-v1",
        }]);
        // batch-get-resource-config's baseConfigurationItems are read the same way.
        const items = JSON.parse(fs.readFileSync(HISTORY, "utf8")).configurationItems;
        const [batch] = await loadFile(writeTmp("batch.json", { baseConfigurationItems: [items[1]], unprocessedResourceKeys: [] }));
        assert.deepStrictEqual(names(batch), ["aws-native:sagemaker:Model fraud-scorer-v1"]);
        assert.strictEqual(batch.resources[0].inputs["enableNetworkIsolation"], false, "configuration parsed from its JSON string");
    });

    it("select-aggregate-resource-config: two accounts, a not recorded item", async () => {
        const stacks = await loadFile(SELECT);
        assert.deepStrictEqual(stacks.map(s => s.stack), ["111122223333-us-east-1", "444455556666-us-west-2"]);
        assert.deepStrictEqual(names(stacks[1]), [
            "aws-native:sagemaker:Model vendor-ranker", "aws-native:sagemaker:NotebookInstance ops-notebook", "aws-native:sagemaker:Domain studio-ops",
        ]);
        assert.deepStrictEqual(stacks[1].resources[1].inputs["securityGroupIds"], ["sg-0123456789abcdef0"]);
        assert.deepStrictEqual(stacks[1].records!.notes!.map(x => [x.kind, x.name, x.status]), [["MonitoringSchedule", "ops-drift-hourly", "ResourceNotRecorded"]]);
    });

    it("the check command: the Current state part per account and region, across inputs (snapshots, history, an aggregator)", async () => {
        const rel = [SNAPSHOTS, HISTORY, SELECT].map(f => path.relative(ROOT, f));
        const [js, md] = await Promise.all([run(["--format", "json", ...rel]), run(["--format", "markdown", ...rel])]);
        assert.strictEqual(js.code, 0, js.stderr);
        assert.strictEqual(md.code, 0, md.stderr);
        const c = JSON.parse(js.stdout).evidence.config;
        assert.deepStrictEqual(c.regions.map((r: Record<string, unknown>) => [r.account, r.region, r.captured, r.models, r.notebooks, r.domains, r.jobs, r.withoutIsolation, r.outsideRules]), [
            ["111122223333", "eu-west-1", "2024-03-20T04:07:12.845Z", 1, 0, 0, 1, 2, 0],
            ["111122223333", "us-east-1", "2024-03-21T06:30:12.004Z", 1, 1, 1, 1, 0, 1],
            ["444455556666", "us-west-2", "2024-03-21T06:16:02.310Z", 1, 1, 1, 0, 1, 1],
        ]);
        assert.deepStrictEqual(c.exceptions.map((r: { name: string; account: string }) => `${r.account} ${r.name}`), [
            "111122223333 churn-model-eu", "111122223333 churn-explainability", "111122223333 research-scratch", "444455556666 vendor-ranker", "444455556666 studio-ops",
        ]);
        assert.deepStrictEqual(c.gone.map((x: { name: string; status: string }) => [x.name, x.status]), [["fraud-scorer-v1", "ResourceDeleted"], ["ops-drift-hourly", "ResourceNotRecorded"]]);
        const section = md.stdout.slice(md.stdout.indexOf("### Current state (AWS Config)"));
        assert.match(section, /\| `444455556666` \| us-west-2 \| 2024-03-21T06:16:02.310Z \| 1 \| 1 \| 1 \| 0 \| 1 \| 1 \| 0 \|/);
        // Each record is judged by the policy the catalogue gives its kind: the isolation rule of its workloads, or the rule on its type.
        const byType = (type: string) => typeRule(type)!.name;
        for (const [name, policy] of [["churn-model-eu", isolationRule("model")!.name], ["churn-explainability", isolationRule("monitoring")!.name],
            ["research-scratch", byType("aws-native:sagemaker:NotebookInstance")], ["studio-ops", byType("aws-native:sagemaker:Domain")]]) {
            assert.match(section, new RegExp(String.raw`\| \`${name}\` \| \`arn:aws:sagemaker:[^|]+\` \| \`${policy}\` \|`), name);
        }
        assert.match(section, /#### Deleted or not recorded \(not judged\)[\s\S]*`fraud-scorer-v1` \| `arn:aws:sagemaker:us-east-1:111122223333:model\/fraud-scorer-v1` \| ResourceDeleted \|/);
        // No configuration value in the evidence.
        for (const value of ["dkr.ecr", "s3://", ":role/", "0.83"]) {
            assert.ok(!section.includes(value) && !JSON.stringify(c).includes(value), value);
        }
    });

    describe("bad input: a one-line UsageError naming the file, exit 2", () => {
        it("a truncated snapshot: gzip cut off, or JSON cut off inside a whole gzip file", async () => {
            const bytes = fs.readFileSync(US_SNAPSHOT);
            const cut = writeTmp("AWSLogs/111122223333/Config/us-east-1/2024/3/21/ConfigSnapshot/cut.json.gz", bytes.subarray(0, bytes.length - 30));
            await assertUsageError(() => loadFile(cut), cut, /not a valid gzip file \(unexpected end of file\)/);
            const text = zlib.gunzipSync(bytes);
            const half = writeTmp("half.json.gz", zlib.gzipSync(text.subarray(0, Math.floor(text.length / 2))));
            await assertUsageError(() => loadFile(half), half, /not valid JSON/);
            // In a folder, the file is named; and the command exits 2 naming it.
            const r = await run([path.join(dir(), "AWSLogs")]);
            assert.strictEqual(r.code, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.strictEqual(r.stderr.trimEnd(), `sagemaker-isolation-check: ${cut}: not a valid gzip file (unexpected end of file)`);
        });

        it("items that are not configuration items, a configuration that is not JSON, a result that is not a string, an unknown status", async () => {
            const items = JSON.parse(fs.readFileSync(HISTORY, "utf8")).configurationItems as Record<string, unknown>[];
            const ok = items[1];
            const { resourceType: _, ...noType } = ok;
            const cases: [string, object, RegExp][] = [
                ["no-type.json", { configurationItems: [noType] }, /: configurationItems\[0\] has no resourceType, so it is not an AWS Config configuration item$/],
                ["not-item.json", { configurationItems: [ok, 7] }, /: configurationItems\[1\] is not an AWS Config configuration item$/],
                ["bad-config.json", { configurationItems: [{ ...ok, configuration: "{\"ModelName\": " }] }, /: configurationItems\[0\]\.configuration is not valid JSON/],
                ["no-config.json", { configurationItems: [{ ...ok, configuration: null }] }, /\(AWS::SageMaker::Model fraud-scorer-v1\) has no configuration/],
                ["status.json", { configurationItems: [{ ...ok, configurationItemStatus: "Gone" }] }, /configurationItemStatus is not a status AWS Config gives$/],
                ["result.json", { Results: [{ resourceType: "AWS::SageMaker::Model" }], QueryInfo: {} }, /: Results\[0\] is not a JSON string$/],
                ["result-json.json", { Results: ["{\"resourceType\""], QueryInfo: {} }, /: Results\[0\] is not valid JSON/],
            ];
            for (const [name, doc, problem] of cases) {
                const f = writeTmp(name, doc);
                await assertUsageError(() => loadFile(f), f, problem);
            }
            // Never a configuration value in the message.
            const f = writeTmp("secret.json", { configurationItems: [{ ...ok, configuration: "{\"KmsKeyId\": \"sk-live-secret\"" }] });
            await assert.rejects(() => loadFile(f), (e: Error) => !e.message.includes("sk-live-secret"));
        });
    });
});
