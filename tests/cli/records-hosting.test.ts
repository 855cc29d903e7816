/**
 * Endpoint configurations, inference components, Studio spaces and HyperPod clusters as AWS
 * records (issue 24): CloudTrail create calls, describe-* outputs and AWS Config items (AWS Config
 * records only endpoint configurations, and of them neither EnableNetworkIsolation nor shadow
 * variants). Fixtures: tests/fixtures/aws-records/hosting.
 */
import * as assert from "assert";
import * as path from "path";
import { loadFile } from "../../cli/inputs";
import { RECORD_KINDS } from "../../cli/inputs/records";
import { RULES } from "../../policies/catalogue/index";
import { UNRECORDED_STRING } from "../../policies/values/values";
import { diagnosticKind } from "../../policies/values/wire";
import { IN_VPC, MODEL, REMOTE_ACCESS } from "../rules";
import { FIXTURES, tempFolder } from "./aws-records";
import { ROOT, run } from "./run";

const HOSTING = path.join(FIXTURES, "hosting");
const rel = (f: string) => path.relative(ROOT, f);

interface Judged { kind: string; name: string; isolation: string; reason?: string }
interface Finding { policyName: string; resourceName: string; message: string }
type Obj = Record<string, unknown>;

/** One endpoint configuration with SSM access on a variant and a shadow variant, in each source's spelling. */
const CALL = {
    eventVersion: "1.09", userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/ml-deploy/ci", accountId: "111122223333" },
    eventTime: "2024-04-02T11:00:00Z", eventSource: "sagemaker.amazonaws.com", eventName: "CreateEndpointConfig", awsRegion: "us-east-1",
    eventID: "a0b1c2d3-0000-4000-8000-0000000000ff", eventType: "AwsApiCall", recipientAccountId: "111122223333",
    requestParameters: {
        endpointConfigName: "ssm-probe",
        productionVariants: [{ variantName: "AllTraffic", modelName: "m", enableSSMAccess: true, coreDumpConfig: { destinationS3Uri: "s3://b/d", enableSSMAccess: "kept" } }],
        shadowProductionVariants: [{ variantName: "Shadow", modelName: "m", enableSSMAccess: true }],
        tags: [{ key: "EnableSSMAccess", value: "kept" }],
    },
};
const MEMBERS = {
    EndpointConfigName: "ssm-probe", EndpointConfigArn: "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/ssm-probe",
    ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "m", EnableSSMAccess: true, CoreDumpConfig: { DestinationS3Uri: "s3://b/d", EnableSSMAccess: "kept" } }],
    ShadowProductionVariants: [{ VariantName: "Shadow", ModelName: "m", EnableSSMAccess: true }],
    Tags: [{ Key: "EnableSSMAccess", Value: "kept" }], CreationTime: "2024-04-02T11:00:00.000Z",
};
/** An inference component whose container's environment names a variable EnableSSMAccess: a user's key, kept. */
const COMPONENT = {
    InferenceComponentName: "env-probe", InferenceComponentArn: "arn:aws:sagemaker:us-east-1:111122223333:inference-component/env-probe",
    EndpointName: "e", VariantName: "AllTraffic", Specification: { Container: { Image: "i", Environment: { EnableSSMAccess: "1", enableSSMAccess: "2" } } },
};

describe("AWS records of endpoint configurations, inference components, spaces and clusters (issue 24)", function () {
    this.timeout(120000);
    const tmp = tempFolder("aws-hosting-");

    it("each kind is judged by the catalogue's records rule of its workload kind; AWS Config records only endpoint configurations", () => {
        const of = new Map(RECORD_KINDS.map(k => [k.kind, k]));
        assert.deepStrictEqual(["EndpointConfig", "InferenceComponent", "Space", "Cluster"].map(k => of.get(k)!.policy), [MODEL, MODEL, REMOTE_ACCESS, IN_VPC]);
        assert.deepStrictEqual(RECORD_KINDS.filter(k => k.group === "hosting" || k.group === "space" || k.group === "cluster").filter(k => k.config).map(k => k.kind),
            ["EndpointConfig"]);
    });

    it("CloudTrail and describe outputs give the aws-native resources, EnableSSMAccess as aws-native's enableSsmAccess", async () => {
        const [trail] = await loadFile(path.join(HOSTING, "trail-us-east-1.json"));
        const described = (await loadFile(path.join(HOSTING, "describe.jsonl"))).flatMap(s => s.resources);
        for (const resources of [trail.resources, described]) {
            const byName = new Map(resources.map(r => [r.name, r]));
            assert.deepStrictEqual([...byName.values()].map(r => r.type.split(":").pop()).sort(),
                ["Cluster", "Cluster", "EndpointConfig", "EndpointConfig", "EndpointConfig", "InferenceComponent", "Space", "Space"]);
            const variant = (byName.get("scorer-ssm")!.inputs["productionVariants"] as Obj[])[0];
            assert.deepStrictEqual([variant["enableSsmAccess"], "enableSSMAccess" in variant], [true, false]);
            assert.strictEqual((byName.get("analyst-local")!.inputs["spaceSettings"] as Obj)["remoteAccess"], "ENABLED");
            assert.ok(byName.get("hp-private")!.inputs["vpcConfig"] && !("vpcConfig" in byName.get("hp-default")!.inputs));
        }
    });

    it("the rename is made in every source, on the variants' own member only (nested members, tags and environment keys kept)", async () => {
        const item = (configuration: Obj) => JSON.stringify({
            version: "1.3", accountId: "111122223333", configurationItemCaptureTime: "2024-04-03T00:00:00.000Z", configurationItemStatus: "OK",
            resourceId: "ssm-probe", resourceName: "ssm-probe", awsRegion: "us-east-1", resourceType: "AWS::SageMaker::EndpointConfig", configuration,
        });
        const { ShadowProductionVariants: _, CreationTime: __, ...recorded } = MEMBERS;
        const inputs = async (name: string, content: unknown) => (await loadFile(tmp.write(name, content)))[0].resources[0].inputs;
        const sources: [string, Obj][] = [
            ["CloudTrail", await inputs("trail.json", { Records: [CALL] })],
            ["describe", await inputs("describe.json", MEMBERS)],
            ["AWS Config", await inputs("select.json", { Results: [item(recorded)], QueryInfo: { SelectFields: [{ Name: "*" }] } })],
        ];
        for (const [source, p] of sources) {
            const [v] = p["productionVariants"] as Obj[];
            assert.deepStrictEqual([v["enableSsmAccess"], "enableSSMAccess" in v], [true, false], source);
            assert.strictEqual((v["coreDumpConfig"] as Obj)["enableSSMAccess"], "kept", `${source}: a nested member is not the variant's`);
            assert.deepStrictEqual(JSON.stringify(p["tags"]).includes("EnableSSMAccess"), true, `${source}: a tag keeps its key`);
            const shadow = p["shadowProductionVariants"];
            assert.deepStrictEqual(source === "AWS Config" ? shadow : (shadow as Obj[])[0]["enableSsmAccess"], source === "AWS Config" ? UNRECORDED_STRING : true, source);
        }
        const env = ((await inputs("component.json", COMPONENT))["specification"] as { container: { environment: Obj } }).container.environment;
        assert.deepStrictEqual(env, { EnableSSMAccess: "1", enableSSMAccess: "2" }, "an environment map keeps the user's keys");
    });

    it("the Evidence counts them by kind; a compliant and a non-compliant record of each, from CloudTrail and describe outputs", async () => {
        const config = tmp.write("pack.json", Object.fromEntries(RULES.map(r => [r.name, { enforcementLevel: "advisory" }])));
        const r = await run(["--format", "json", "--config", config, rel(path.join(HOSTING, "trail-us-east-1.json")), rel(path.join(HOSTING, "describe.jsonl"))]);
        assert.strictEqual(r.code, 0, r.stderr);
        const ev = JSON.parse(r.stdout).evidence;
        const byKind = { EndpointConfig: 3, InferenceComponent: 1, Space: 2, Cluster: 2 };
        assert.deepStrictEqual(ev.cloudTrail.accounts[0].byKind, byKind);
        assert.deepStrictEqual(ev.describe.accounts[0].byKind, byKind);
        assert.deepStrictEqual(ev.policies.slice(-2), [REMOTE_ACCESS, IN_VPC], "the rules of spaces and clusters, which the records hold");
        assert.strictEqual(ev.cloudTrail.accounts[0].summary, "Account 111122223333: 3 endpoint configurations, 1 inference component, 2 Studio spaces and " +
            "2 HyperPod clusters created between 2024-04-02T10:10:00Z and 2024-04-02T10:30:00Z in region us-east-1; 1 without network isolation, " +
            "2 notebook instances, domains, spaces or clusters outside the rules, 2 not judged (listed below).");
        const describedOff: Judged[] = ev.describe.resources.filter((x: Judged) => x.isolation === "off");
        for (const off of [ev.cloudTrail.withoutIsolation as Judged[], describedOff]) {
            assert.deepStrictEqual(off.map(x => `${x.kind} ${x.name}`).sort(), ["Cluster hp-default", "EndpointConfig ic-open", "Space analyst-local"]);
        }
        const on = ev.describe.resources.filter((x: Judged) => x.isolation === "on").map((x: Judged) => `${x.kind} ${x.name}`).sort();
        assert.deepStrictEqual(on, ["Cluster hp-private", "EndpointConfig ic-isolated", "Space analyst-studio"]);
        // Not judged: the inference component (judged through its endpoint's configuration, which the records do not link) and the model-hosting configuration.
        assert.deepStrictEqual((ev.cloudTrail.notJudged as Judged[]).map(x => `${x.kind} ${x.name}`).sort(), ["EndpointConfig scorer-ssm", "InferenceComponent llm-ic-1"]);
    });

    it("Markdown: a count column per new kind and what the verdict means for each; nothing in a record renders", async () => {
        const hostile = tmp.write("hostile.json", { ...MEMBERS, EndpointConfigName: "![x](http://e.example/i.png)<b>x</b>",
            EndpointConfigArn: "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/x" });
        const config = tmp.write("pack-md.json", Object.fromEntries(RULES.map(r => [r.name, { enforcementLevel: "advisory" }])));
        const r = await run(["--format", "markdown", "--config", config, rel(path.join(HOSTING, "trail-us-east-1.json")), rel(path.join(HOSTING, "describe.jsonl")), hostile]);
        assert.strictEqual(r.code, 0, r.stderr);
        const section = r.stdout.slice(r.stdout.indexOf("\n## Evidence\n"));
        assert.ok(section.includes("| Models | Jobs | Endpoint configurations | Inference components | Studio spaces | HyperPod clusters | Outside the rules |"), section);
        assert.ok(section.includes("| `111122223333` | us-east-1 | 2024-04-02T10:10:00Z | 2024-04-02T10:30:00Z | 0 | 0 | 3 | 1 | 2 | 2 | 2 | 1 | 2 | 0 |"), section);
        for (const means of ["isolation of the inference components they host (endpoint configurations)", "remote access (Studio spaces)", "VPC (HyperPod clusters)"]) {
            assert.ok(section.includes(means), means);
        }
        assert.match(section, /\| Studio space \| `analyst-local` \| [^|]+ \| \*\*remote access outside the rules\*\* \|/);
        assert.match(section, /\| HyperPod cluster \| `hp-private` \| [^|]+ \| VPC within the rules \|/);
        assert.ok(section.includes("`![x](http://e.example/i.png)<b>x</b>`") && !/[^`]!\[x\]\(/.test(section), "the name is code, never an image");
    });

    it("AWS Config endpoint configurations: EnableSSMAccess judged; isolation and shadow variants, which Config does not record, a note naming it", async () => {
        const file = path.join(HOSTING, "select-resource-config.json");
        const [s] = await loadFile(file);
        assert.deepStrictEqual(s.records!.records.find(x => x.name === "ic-open")!.unrecorded, ["EnableNetworkIsolation", "ShadowProductionVariants"]);
        const r = await run(["--format", "json", rel(file)]);
        assert.strictEqual(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        const c = out.evidence.config;
        assert.deepStrictEqual([c.regions[0].byKind, c.regions[0].withoutIsolation, c.exceptions.length], [{ EndpointConfig: 3 }, 0, 0]);
        assert.deepStrictEqual((c.notJudged as Judged[]).map(x => x.name).sort(), ["ic-open", "scorer-private", "scorer-ssm"]);
        const reason = (c.notJudged as Judged[]).find(x => x.name === "ic-open")!.reason!;
        assert.strictEqual(diagnosticKind(reason), "note", reason);
        assert.match(reason, /^Cannot check: ic-open: enableNetworkIsolation is not recorded by AWS Config, so network isolation of the inference components/);
        const findings: Finding[] = out.stacks.flatMap((st: { findings: Finding[] }) => st.findings);
        assert.ok(findings.every(f => diagnosticKind(f.message) !== "preview-note" && !/is not set/.test(f.message)), "never a preview note, never a false \"not set\"");
        // SSM access, which Config records, is judged: only scorer-ssm's variant fails.
        const ssm = findings.filter(f => f.policyName === REMOTE_ACCESS && diagnosticKind(f.message) === "violation");
        assert.deepStrictEqual(ssm.map(f => f.resourceName), ["scorer-ssm"]);
        assert.match(ssm[0].message, /^scorer-ssm: productionVariants\[0\]\.enableSsmAccess /);
        assert.ok(findings.some(f => f.policyName === REMOTE_ACCESS && /shadowProductionVariants is not recorded by AWS Config/.test(f.message)));
    });
});
