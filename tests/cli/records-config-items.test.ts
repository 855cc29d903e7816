/**
 * AWS Config items as an auditor relies on them (issue 23, cases 1, 2, 3, 7, 9, 10): one
 * resource, one record, whatever the spelling of its capture time or the files it comes from;
 * conflicts at one instant settled the same way in any order; capture times read strictly; a
 * record named by its AWS name, so exemptions follow it; a nested configuration's own depth.
 */
import * as assert from "assert";
import { loadFile } from "../../cli/inputs";
import type { StackInput } from "../../cli/inputs/types";
import { modelNetworkIsolation } from "../rules";
import { assertUsageError, tempFolder } from "./aws-records";
import { run } from "./run";


const ACCOUNT = "111122223333";

/** A Config item of a model, as a snapshot writes it (configuration an object). */
function snapshotItem(name: string, time: string, isolation: boolean, status = "OK"): Record<string, unknown> {
    return {
        configurationItemCaptureTime: time, awsAccountId: ACCOUNT, configurationItemStatus: status, resourceType: "AWS::SageMaker::Model",
        resourceId: name, resourceName: name, ARN: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/${name}`, awsRegion: "us-east-1",
        ...status === "OK" && { configuration: { ModelName: name, ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, EnableNetworkIsolation: isolation } },
    };
}

/** The same item as the API spells it (get-resource-config-history: accountId, arn, configuration a JSON string). */
function historyItem(name: string, time: string, isolation: boolean): Record<string, unknown> {
    const { awsAccountId, ARN, configuration, ...rest } = snapshotItem(name, time, isolation);
    return { ...rest, accountId: awsAccountId, arn: ARN, configuration: JSON.stringify(configuration) };
}

async function loadAll(files: string[]): Promise<StackInput[]> {
    const { acrossInputs } = await import("../../cli/inputs/merge");
    return acrossInputs((await Promise.all(files.map(f => loadFile(f)))).flat());
}

describe("AWS Config items: one resource, one record (issue 23)", function () {
    this.timeout(120000);
    const { write: writeTmp } = tempFolder("config-items-");

    it("case 1: one instant in two spellings (a snapshot and the history) is one item: one stack, one model", async () => {
        const snapshot = writeTmp("snapshot.json", { fileVersion: "1.0", configSnapshotId: "x", configurationItems: [snapshotItem("ranker", "2026-11-30T03:58:12.310Z", false)] });
        const history = writeTmp("history.json", { configurationItems: [historyItem("ranker", "2026-11-30T03:58:12.310000+00:00", false)] });
        const stacks = (await loadAll([snapshot, history])).filter(s => s.records);
        assert.deepStrictEqual(stacks.map(s => [s.stack, s.resources.map(r => r.name)]), [[`${ACCOUNT}-us-east-1`, ["ranker"]]]);
        assert.deepStrictEqual(stacks[0].sources, [snapshot, history]);
        assert.strictEqual(stacks[0].records!.records[0].time, "2026-11-30T03:58:12.310Z");
        const r = await run(["--format", "json", snapshot, history]);
        const out = JSON.parse(r.stdout);
        assert.strictEqual(out.stacks.length, 1, "one stack for the account and Region");
        assert.deepStrictEqual(out.evidence.config.regions.map((x: { models: number; withoutIsolation: number }) => [x.models, x.withoutIsolation]), [[1, 1]]);
        assert.strictEqual(out.summary.advisory + out.summary.mandatory, 1, "one finding");
    });

    it("case 2: two different items at one instant: the same winner in either order, and a warning naming the resource", async () => {
        const t = "2026-11-30T03:58:12.310Z";
        const a = writeTmp("a.json", { configurationItems: [snapshotItem("ranker", t, true), snapshotItem("ranker", t, false)] });
        const b = writeTmp("b.json", { configurationItems: [snapshotItem("ranker", t, false), snapshotItem("ranker", t, true)] });
        const [[sa], [sb]] = await Promise.all([loadFile(a), loadFile(b)]);
        assert.strictEqual(sa.resources.length, 1);
        assert.deepStrictEqual(sa.resources[0].inputs, sb.resources[0].inputs, "order does not decide");
        assert.strictEqual(sa.warnings?.length, 1);
        assert.match(sa.warnings[0], /model ranker .*captured at the same instant \(2026-11-30T03:58:12\.310Z\) differ/);
        // An OK and a ResourceDeleted item at one instant: the deletion wins, nothing is judged.
        const c = writeTmp("c.json", { configurationItems: [snapshotItem("ranker", t, false), snapshotItem("ranker", t, false, "ResourceDeleted")] });
        const [sc] = await loadFile(c);
        assert.deepStrictEqual([sc.resources.length, sc.records!.notes?.map(n => n.status)], [0, ["ResourceDeleted"]]);
    });

    it("case 3: a capture time that is not a time exits 2 naming the member; a newer item wins over an older one", async () => {
        for (const bad of ["2026-11-30T03:58:12,310Z", "2026-11-30T03:58:12.310Z\u0001", "2026-02-30T03:58:12Z", "yesterday"]) {
            const f = writeTmp("bad-time.json", { configurationItems: [snapshotItem("ranker", bad, true)] });
            await assertUsageError(() => loadFile(f), f, /configurationItems\[0\]: configurationItemCaptureTime is not a time/);
        }
        const f = writeTmp("order.json", { configurationItems: [historyItem("ranker", "2026-11-30T03:58:12.311000+00:00", false), snapshotItem("ranker", "2026-11-30T03:58:12.310Z", true)] });
        const [s] = await loadFile(f);
        assert.deepStrictEqual([s.resources.length, s.resources[0].inputs["enableNetworkIsolation"], s.records!.last], [1, false, "2026-11-30T03:58:12.311Z"]);
    });

    it("case 9: a long history of one model is read as one resource (the newest), as the items are read", async () => {
        const items = Array.from({ length: 5000 }, (_, i) => historyItem("ranker", new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(), i % 2 === 0));
        const f = writeTmp("long-history.json", { configurationItems: items });
        const [s] = await loadFile(f);
        assert.deepStrictEqual([s.resources.length, s.records!.records.length, s.resources[0].inputs["enableNetworkIsolation"]], [1, 1, false], "the newest: the last minute's item");
    });

    it("case 7: a record is named by its AWS name: an exemption for it covers its Config, describe and CloudTrail records", async () => {
        const config = writeTmp("ex/config.json", { configurationItems: [snapshotItem("legacy-ranker", "2026-11-30T03:58:12.310Z", false)] });
        const described = writeTmp("ex/describe.json", {
            ModelName: "legacy-ranker", ModelArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:model/legacy-ranker`, ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
            CreationTime: "2026-11-01T00:00:00Z",
        });
        const trail = writeTmp("ex/trail.json", {
            Records: [{
                eventVersion: "1.08", eventSource: "sagemaker.amazonaws.com", eventName: "CreateModel", awsRegion: "us-west-2", eventTime: "2026-11-02T00:00:00Z",
                eventID: "0b7c0b7c-0000-4000-8000-000000000001", recipientAccountId: ACCOUNT, userIdentity: { arn: `arn:aws:iam::${ACCOUNT}:user/u` },
                requestParameters: { modelName: "legacy-ranker", executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/r` },
            }],
        });
        // Without the exemption, each finding suggests one that names the resource, not its capture time or event.
        const plain = JSON.parse((await run(["--format", "json", config, described, trail])).stdout);
        const findings = plain.stacks.flatMap((s: { findings: { message: string; resourceName: string }[] }) => s.findings);
        assert.deepStrictEqual(findings.map((f: { resourceName: string }) => f.resourceName), ["legacy-ranker", "legacy-ranker", "legacy-ranker"]);
        for (const f of findings) {
            assert.ok(!f.message.includes("2026-11-30") && !f.message.includes("0b7c0b7c"), f.message);
        }
        const cfg = writeTmp("ex/pack.json", { [modelNetworkIsolation.name]: { enforcementLevel: "advisory", exemptions: [{ resource: "legacy-ranker", reason: "vendor model, reviewed" }] } });
        const exempted = JSON.parse((await run(["--format", "json", "--config", cfg, config, described, trail])).stdout);
        assert.strictEqual(exempted.summary.exempted, 3, "exempted in every source");
        assert.strictEqual(exempted.summary.advisory + exempted.summary.mandatory, 0);
    });

    it("case 10: a deeply nested configuration string reports the configuration's depth, not the file's", async () => {
        const deep = "[".repeat(20000) + "]".repeat(20000);
        const item = { ...historyItem("ranker", "2026-11-30T03:58:12Z", true), configuration: `{"ModelName":"ranker","X":${deep}}` };
        const f = writeTmp("deep.json", { configurationItems: [item] });
        await assertUsageError(() => loadFile(f), f, /configurationItems\[0\]\.configuration nests too deep to read \(20,001 levels\)/);
    });
});
