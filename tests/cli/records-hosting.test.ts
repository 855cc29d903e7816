/**
 * Endpoint configurations, inference components, Studio spaces and HyperPod clusters as AWS
 * records: CloudTrail create calls, describe-* outputs and AWS Config items (AWS Config records
 * only endpoint configurations). Fixtures: tests/fixtures/aws-records/hosting.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadFile } from "../../cli/inputs";
import { RECORD_KINDS } from "../../cli/inputs/records";
import { isolationRule, RULES } from "../../policies/catalogue/index";
import { FIXTURES, writeIn } from "./aws-records";
import { ROOT, run } from "./run";

const HOSTING = path.join(FIXTURES, "hosting");
const KINDS = ["EndpointConfig", "InferenceComponent", "Space", "Cluster"];

interface Judged { kind: string; name: string; isolation: string; reason?: string }

describe("AWS records of endpoint configurations, inference components, spaces and clusters (issue 24)", function () {
    this.timeout(120000);
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aws-hosting-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("each kind is judged by the catalogue's rule of its workload kind; AWS Config records only endpoint configurations", () => {
        const of = new Map(RECORD_KINDS.map(k => [k.kind, k]));
        for (const kind of KINDS) {
            const k = of.get(kind)!;
            const expected = isolationRule(k.workload!) ?? RULES.find(r => "workloads" in r.subject && r.subject.workloads.includes(k.workload!));
            assert.ok(expected && k.policy === expected.name, kind);
        }
        assert.deepStrictEqual(KINDS.filter(k => of.get(k)!.config), ["EndpointConfig"]);
    });

    it("CloudTrail and describe outputs give the aws-native resources, EnableSSMAccess as aws-native's enableSsmAccess", async () => {
        const [trail] = await loadFile(path.join(HOSTING, "trail-us-east-1.json"));
        const described = (await loadFile(path.join(HOSTING, "describe.jsonl"))).flatMap(s => s.resources);
        for (const resources of [trail.resources, described]) {
            const byName = new Map(resources.map(r => [r.name, r]));
            assert.deepStrictEqual([...byName.values()].map(r => r.type.split(":").pop()).sort(),
                ["Cluster", "Cluster", "EndpointConfig", "EndpointConfig", "EndpointConfig", "InferenceComponent", "Space", "Space"]);
            const variant = (byName.get("scorer-ssm")!.inputs["productionVariants"] as Record<string, unknown>[])[0];
            assert.deepStrictEqual([variant["enableSsmAccess"], "enableSSMAccess" in variant], [true, false]);
            assert.strictEqual((byName.get("analyst-local")!.inputs["spaceSettings"] as Record<string, unknown>)["remoteAccess"], "ENABLED");
            assert.ok(byName.get("hp-private")!.inputs["vpcConfig"] && !("vpcConfig" in byName.get("hp-default")!.inputs));
        }
    });

    it("the Evidence counts them by kind; a compliant and a non-compliant record of each, from CloudTrail and describe outputs", async () => {
        const config = writeIn(tmp, "pack.json", Object.fromEntries(RULES.map(r => [r.name, { enforcementLevel: "advisory" }])));
        const r = await run(["--format", "json", "--config", config, path.relative(ROOT, path.join(HOSTING, "trail-us-east-1.json")),
            path.relative(ROOT, path.join(HOSTING, "describe.jsonl"))]);
        assert.strictEqual(r.code, 0, r.stderr);
        const ev = JSON.parse(r.stdout).evidence;
        const byKind = { EndpointConfig: 3, InferenceComponent: 1, Space: 2, Cluster: 2 };
        const trailed: Judged[] = [...ev.cloudTrail.withoutIsolation, ...ev.cloudTrail.notJudged];
        const describedOff: Judged[] = ev.describe.resources.filter((x: Judged) => x.isolation === "off");
        assert.deepStrictEqual(ev.cloudTrail.accounts[0].byKind, byKind);
        assert.deepStrictEqual(ev.describe.accounts[0].byKind, byKind);
        assert.strictEqual(ev.cloudTrail.accounts[0].summary, "Account 111122223333: 3 endpoint configurations, 1 inference component, 2 Studio spaces and " +
            "2 HyperPod clusters created between 2024-04-02T10:10:00Z and 2024-04-02T10:30:00Z in region us-east-1; 1 without network isolation, " +
            "2 notebook instances, domains, spaces or clusters outside the rules, 2 not judged by the isolation policies (listed below).");
        for (const off of [ev.cloudTrail.withoutIsolation as Judged[], describedOff]) {
            assert.deepStrictEqual(off.map(x => `${x.kind} ${x.name}`).sort(), ["Cluster hp-default", "EndpointConfig ic-open", "Space analyst-local"]);
        }
        const on = ev.describe.resources.filter((x: Judged) => x.isolation === "on").map((x: Judged) => `${x.kind} ${x.name}`).sort();
        assert.deepStrictEqual(on, ["Cluster hp-private", "EndpointConfig ic-isolated", "Space analyst-studio"]);
        // An inference component is judged through its endpoint's configuration, which the records do not link: not judged.
        assert.ok(trailed.some(x => x.kind === "InferenceComponent" && x.isolation === "not judged" && x.reason));
    });

    it("AWS Config endpoint configurations: EnableSSMAccess judged; isolation, which Config does not record, never read as absent", async () => {
        const file = path.join(HOSTING, "select-resource-config.json");
        const [s] = await loadFile(file);
        const open = s.resources.find(x => x.name === "ic-open")!;
        assert.strictEqual(s.records!.records.find(x => x.name === "ic-open")!.unrecorded?.[0], "EnableNetworkIsolation");
        assert.notStrictEqual(open.inputs["enableNetworkIsolation"], undefined);
        const r = await run(["--format", "json", path.relative(ROOT, file)]);
        assert.strictEqual(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        const c = out.evidence.config;
        assert.deepStrictEqual([c.regions[0].byKind, c.regions[0].withoutIsolation, c.exceptions.length], [{ EndpointConfig: 3 }, 0, 0]);
        assert.ok(c.notJudged.every((x: Judged) => /AWS Config does not record EnableNetworkIsolation/.test(x.reason ?? "")));
        // SSM access, which Config records, is judged: only scorer-ssm fails the rule that judges it.
        const ssmRule = RULES.find(x => "workloads" in x.subject && x.subject.workloads.includes("space"))!.name;
        const failed = out.stacks.flatMap((st: { findings: { policyName: string; resourceName: string }[] }) =>
            st.findings.filter(f => f.policyName === ssmRule).map(f => f.resourceName));
        assert.deepStrictEqual(failed, ["scorer-ssm"]);
    });
});
