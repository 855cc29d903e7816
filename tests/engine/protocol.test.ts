/**
 * Engine-protocol suite: the pack is started exactly as the Pulumi engine starts it
 * (`run-policy-pack 127.0.0.1:0 <packdir>`, cwd = pack dir) and driven over gRPC with
 * @pulumi/pulumi's analyzer stubs. The whole suite runs twice: once plainly, once with the
 * offline preload, which blocks every non-loopback connection and DNS query (issue 5).
 */
import { PACK_NAME, RULES } from "../../policies/catalogue/index";
import { frameworkIsolationCompatibility, marketplaceNetworkIsolation, modelNetworkIsolation, trainingNetworkIsolation, vpcEndpointsPolicy as vpcEndpoints } from "../rules";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { resolveConfig } from "../../cli/engine/config";
import { AnalyzerResource, Level, PackProcess, startPack } from "../../cli/engine/client";
import { secretEnvelope as secret, UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import * as awsx from "../network/awsx";

const ROOT = path.resolve(__dirname, "..", "..");
const PRELOAD = path.join(__dirname, "offline-preload.js");

const STACK = "dev";
const PROJECT = "ml";
const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;

const MODEL = "aws:sagemaker/model:Model";
const PIPELINE = "aws:sagemaker/pipeline:Pipeline";
const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** The catalogue's policies and their default levels, in the order the pack reports them. */
const POLICIES: [string, Level][] = RULES.map(r => [r.name, r.enforcementLevel]);
const MODEL_POLICY = modelNetworkIsolation.name;
const TRAINING_POLICY = trainingNetworkIsolation.name;
const MARKETPLACE_POLICY = marketplaceNetworkIsolation.name;
const FRAMEWORK_POLICY = frameworkIsolationCompatibility.name;
const VPC_POLICY = vpcEndpoints.name;

type PolicyConfig = Record<string, { enforcementLevel: Level } & Record<string, unknown>>;

/** Every policy at its default level (what the engine sends when no config file is given). */
function defaults(overrides: PolicyConfig = {}): PolicyConfig {
    const c: PolicyConfig = {};
    for (const [name, level] of POLICIES) {
        c[name] = { enforcementLevel: level };
    }
    return { ...c, ...overrides };
}

function model(name: string, props: Record<string, unknown>): AnalyzerResource {
    return {
        type: MODEL, name, urn: urn(MODEL, name),
        props: { executionRoleArn: "arn:aws:iam::123456789012:role/sm", primaryContainer: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1" }, ...props },
    };
}

const MARKETPLACE_ARN = "arn:aws:sagemaker:us-east-1:865070037744:model-package/some-listing-1a2b3c";

const NATIVE_SFN = "aws-native:stepfunctions:StateMachine";
const TRAINING_JOB = "aws:sagemaker/trainingJob:TrainingJob";

/** An aws-native state machine whose training task's parameters are `params`, text with substitution references. */
function nativeStateMachine(name: string, params: string, subs: unknown): AnalyzerResource {
    const definitionString = `{"StartAt": "\${Step}", "States": {"\${Step}": {"Type": "Task", ` +
        `"Resource": "arn:\${Partition}:states:::sagemaker:createTrainingJob.sync", "Parameters": ${params}, "End": true}}}`;
    return { type: NATIVE_SFN, name, urn: urn(NATIVE_SFN, name), props: { roleArn: "arn:aws:iam::123456789012:role/sfn", definitionString, definitionSubstitutions: subs } };
}

function trainingJob(name: string, image: string, props: Record<string, unknown>): AnalyzerResource {
    return {
        type: TRAINING_JOB, name, urn: urn(TRAINING_JOB, name),
        props: {
            roleArn: "arn:aws:iam::123456789012:role/sm", algorithmSpecification: { trainingImage: image, trainingInputMode: "File" },
            enableInterContainerTrafficEncryption: true, ...props,
        },
    };
}

/**
 * A private network: VPC, subnet (on the VPC's main route table), optionally an S3 gateway
 * endpoint on that route table, and a model in the subnet.
 */
function network(opts: { endpoint: boolean; previewSubnets?: boolean; endpointVpcUnknown?: boolean }): AnalyzerResource[] {
    const vpcUrn = urn(VPC, "main");
    const subnetUrn = urn(`${VPC}$${SUBNET}`, "private-a");
    const out: AnalyzerResource[] = [
        { type: VPC, name: "main", urn: vpcUrn, props: { id: "vpc-0a1b2c3d4e5f60718", cidrBlock: "10.0.0.0/16", mainRouteTableId: "rtb-0c1d2e3f4a5b6c7d8" } },
        {
            type: SUBNET, name: "private-a", urn: subnetUrn, parent: vpcUrn,
            props: { id: "subnet-0123456789abcdef0", vpcId: "vpc-0a1b2c3d4e5f60718", cidrBlock: "10.0.1.0/24" },
            dependencies: [vpcUrn], propertyDependencies: { vpcId: [vpcUrn] },
        },
    ];
    if (opts.endpoint) {
        out.push({
            type: ENDPOINT, name: "s3", urn: urn(ENDPOINT, "s3"),
            props: {
                id: "vpce-0fedcba9876543210", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway",
                vpcId: opts.endpointVpcUnknown ? UNKNOWN_SENTINEL : "vpc-0a1b2c3d4e5f60718", routeTableIds: ["rtb-0c1d2e3f4a5b6c7d8"],
            },
            // Without property dependencies the policy falls back to the plain dependency list.
            dependencies: [vpcUrn],
        });
    }
    const m = model("isolated", {
        enableNetworkIsolation: true,
        vpcConfig: { subnets: opts.previewSubnets ? UNKNOWN_SENTINEL : ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] },
    });
    m.dependencies = [subnetUrn];
    m.propertyDependencies = { vpcConfig: [subnetUrn] };
    out.push(m);
    return out;
}

function protocolSuite(title: string, nodeArgs: string[], offlineLog?: string): void {
    describe(title, function () {
        this.timeout(120000);
        let pack: PackProcess;
        let outputAtStart = "";
        let stdoutAfterPort = "";

        before(async () => {
            assert.ok(fs.existsSync(path.join(ROOT, "bin", "index.js")), "bin/index.js is missing: run `npm run build` first");
            pack = await startPack(ROOT, {
                nodeArgs,
                env: offlineLog ? { ...process.env, OFFLINE_PRELOAD_LOG: offlineLog } : process.env,
                timeoutMs: 90000,
            });
            outputAtStart = pack.output();
            pack.child.stdout!.on("data", b => { stdoutAfterPort += b; });
        });

        after(async () => {
            if (pack) {
                await pack.stop();
            }
        });

        it("GetAnalyzerInfo: name, version, policies, levels, metadata and config schemas", async () => {
            const info = await pack.client.getAnalyzerInfo();
            assert.strictEqual(info.name, PACK_NAME);
            assert.strictEqual(info.version, "0.1.0");
            assert.strictEqual(info.supportsConfig, true);
            assert.deepStrictEqual(info.policies.map(p => [p.name, p.level]), POLICIES);
            const ajv = addFormats(new Ajv({ strict: false }));
            for (const p of info.policies) {
                assert.ok(p.description.length > 20, `${p.name}: description`);
                assert.ok(p.remediationSteps.length > 20, `${p.name}: remediationSteps`);
                assert.ok(p.url.endsWith(`#${p.name}`), `${p.name}: url ${p.url}`);
                assert.ok(p.tags.includes("sagemaker"), `${p.name}: tags`);
                assert.ok(p.severity >= 2 && p.severity <= 3, `${p.name}: severity ${p.severity} (medium or high)`);
                assert.ok(p.configSchema, `${p.name}: configSchema`);
                // Each schema must be a valid JSON schema the CLI (and Pulumi) can validate against.
                ajv.compile({ type: "object", properties: p.configSchema.properties, required: p.configSchema.required });
            }
            const byName = new Map(info.policies.map(p => [p.name, p]));
            assert.strictEqual(byName.get(MODEL_POLICY)!.framework?.reference, "SageMaker.5");
            assert.strictEqual(byName.get(MODEL_POLICY)!.severity, 3); // high
            for (const p of info.policies) {
                assert.ok("exemptions" in p.configSchema!.properties, `${p.name}: exemptions`);
            }
            assert.deepStrictEqual(Object.keys(byName.get(MARKETPLACE_POLICY)!.configSchema!.properties).sort(),
                ["exemptions", "marketplaceAccountIds", "ownAccountIds"]);
            assert.deepStrictEqual((byName.get(VPC_POLICY)!.configSchema!.properties["requiredServices"] as { default: unknown }).default, ["s3"]);
        });

        it("Analyze at the default levels: a model without isolation is an advisory violation", async () => {
            await pack.client.configure(defaults());
            const d = (await pack.client.analyze(model("plain", {}))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "advisory"]]);
            assert.match(d[0].message, /^plain: enableNetworkIsolation is not set/);
            assert.deepStrictEqual((await pack.client.analyze(model("iso", { enableNetworkIsolation: true }))).diagnostics, []);
        });

        it("Configure: levels and settings reach the policies", async () => {
            await pack.client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "mandatory" } }));
            let d = (await pack.client.analyze(model("plain", { enableNetworkIsolation: false }))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "mandatory"]]);

            await pack.client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "disabled" } }));
            assert.deepStrictEqual((await pack.client.analyze(model("plain", { enableNetworkIsolation: false }))).diagnostics, []);

            // "remediate" is reported as mandatory by Analyze (the SDK downgrades it).
            await pack.client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "remediate" } }));
            d = (await pack.client.analyze(model("plain", { enableNetworkIsolation: false }))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "mandatory"]]);

            // An exemption turns the violation into a not-applicable result that names it.
            await pack.client.configure(defaults({
                [MODEL_POLICY]: { enforcementLevel: "mandatory", exemptions: [{ resource: "legacy-*", reason: "vendor needs PyPI" }] },
            }));
            const exempted = await pack.client.analyze(model("legacy-scorer", {}));
            assert.deepStrictEqual(exempted.diagnostics, []);
            assert.deepStrictEqual(exempted.notApplicable.filter(x => x.policyName === MODEL_POLICY),
                [{ policyName: MODEL_POLICY, reason: 'Exempted by "legacy-*": vendor needs PyPI' }]);

            // Marketplace settings: with ownAccountIds, any other account's model package counts.
            const other = model("third-party", { primaryContainer: { modelPackageName: "arn:aws:sagemaker:us-east-1:111122223333:model-package/pkg" } });
            await pack.client.configure(defaults());
            assert.deepStrictEqual((await pack.client.analyze(other)).diagnostics.map(x => x.policyName), [MODEL_POLICY]);
            await pack.client.configure(defaults({ [MARKETPLACE_POLICY]: { enforcementLevel: "mandatory", ownAccountIds: ["123456789012"] } }));
            d = (await pack.client.analyze(other)).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]).sort(), [[MARKETPLACE_POLICY, "mandatory"], [MODEL_POLICY, "advisory"]]);
        });

        it("Analyze: a Marketplace model package without isolation is mandatory", async () => {
            await pack.client.configure(defaults());
            const d = (await pack.client.analyze(model("mp", { enableNetworkIsolation: false, primaryContainer: { modelPackageName: MARKETPLACE_ARN } }))).diagnostics;
            const mp = d.find(x => x.policyName === MARKETPLACE_POLICY);
            assert.ok(mp, JSON.stringify(d));
            assert.strictEqual(mp.level, "mandatory");
            assert.match(mp.message, /Marketplace model package \(account 865070037744\)/);
        });

        it("Analyze: unknown sentinels (preview) give an advisory note, never a violation", async () => {
            await pack.client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "mandatory" } }));
            let d = (await pack.client.analyze(model("later", { enableNetworkIsolation: UNKNOWN_SENTINEL }))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "advisory"]]);
            assert.match(d[0].message, /^Cannot check during preview:/);

            // A Marketplace ARN not known yet with isolation off: a note from the Marketplace policy.
            d = (await pack.client.analyze(model("later-mp", { enableNetworkIsolation: true, primaryContainer: { modelPackageName: UNKNOWN_SENTINEL } }))).diagnostics;
            assert.deepStrictEqual(d, []);
            d = (await pack.client.analyze(model("later-mp", { enableNetworkIsolation: false, primaryContainer: { modelPackageName: UNKNOWN_SENTINEL } }))).diagnostics;
            const mp = d.find(x => x.policyName === MARKETPLACE_POLICY)!;
            assert.strictEqual(mp.level, "advisory");
            assert.match(mp.message, /^Cannot check during preview:/);

            // A whole pipeline definition not known yet.
            d = (await pack.client.analyze({ type: PIPELINE, name: "p", urn: urn(PIPELINE, "p"), props: { pipelineName: "p", pipelineDefinition: UNKNOWN_SENTINEL } })).diagnostics;
            assert.ok(d.length >= 1 && d.every(x => x.level === "advisory" && x.message.startsWith("Cannot check during preview:")), JSON.stringify(d));
        });

        it("Analyze: secret envelopes are unwrapped as the engine sends them", async () => {
            await pack.client.configure(defaults());
            let d = (await pack.client.analyze(model("s-off", { enableNetworkIsolation: secret(false) }))).diagnostics;
            assert.deepStrictEqual(d.map(x => x.policyName), [MODEL_POLICY]);
            assert.match(d[0].message, /is not true/);
            assert.deepStrictEqual((await pack.client.analyze(model("s-on", { enableNetworkIsolation: secret(true) }))).diagnostics, []);
            // A secret deep inside: the Marketplace ARN of the container.
            d = (await pack.client.analyze(model("s-mp", { primaryContainer: secret({ modelPackageName: MARKETPLACE_ARN }) }))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]).sort(), [[MARKETPLACE_POLICY, "mandatory"], [MODEL_POLICY, "advisory"]]);
            // A secret whose value is not known yet.
            d = (await pack.client.analyze(model("s-unknown", { enableNetworkIsolation: secret(UNKNOWN_SENTINEL) }))).diagnostics;
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /^Cannot check during preview:/);
        });

        it("Analyze: an aws-native state machine's substitutions are text, unquoted too; unknown values are a note", async () => {
            await pack.client.configure(defaults({ [TRAINING_POLICY]: { enforcementLevel: "mandatory" } }));
            const params = `{"EnableNetworkIsolation": \${Isolate}, "EnableInterContainerTrafficEncryption": true, "StoppingCondition": {"MaxRuntimeInSeconds": \${MaxSeconds}}}`;
            const subs = { Partition: "aws", Step: secret("S3CR3T-step-name"), MaxSeconds: 3600 };
            let d = (await pack.client.analyze(nativeStateMachine("sm-off", params, { ...subs, Isolate: "false" }))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[TRAINING_POLICY, "mandatory"]]);
            assert.strictEqual(d[0].message, "sm-off: definitionString.States.${Step}.Parameters.EnableNetworkIsolation is not true, " +
                "so the training job runs with network access. Set it to true.");
            assert.deepStrictEqual((await pack.client.analyze(nativeStateMachine("sm-on", params, { ...subs, Isolate: true }))).diagnostics, []);
            // Not known yet (one value, or the whole map): one advisory preview note, never "not valid JSON".
            for (const s of [{ ...subs, Isolate: UNKNOWN_SENTINEL, MaxSeconds: UNKNOWN_SENTINEL }, UNKNOWN_SENTINEL]) {
                d = (await pack.client.analyze(nativeStateMachine("sm-later", params, s))).diagnostics;
                assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[TRAINING_POLICY, "advisory"]], JSON.stringify(d));
                assert.match(d[0].message, /^Cannot check during preview: sm-later: definitionString\.States\.\$\{Step\}\.Parameters\.EnableNetworkIsolation is not known yet/);
            }
        });

        it("Analyze: script-mode framework containers with code from S3 warn under isolation, by family", async () => {
            await pack.client.configure(defaults());
            const hf = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04";
            const code = { sagemaker_submit_directory: JSON.stringify("https://my-bucket.s3.us-east-1.amazonaws.com/hf/sourcedir.tar.gz") };
            let r = await pack.client.analyze(trainingJob("hf", hf, { enableNetworkIsolation: true, hyperParameters: code }));
            assert.deepStrictEqual(r.diagnostics.map(x => [x.policyName, x.level]), [[FRAMEWORK_POLICY, "advisory"]]);
            assert.match(r.diagnostics[0].message, /^hf: algorithmSpecification\.trainingImage is AWS's Hugging Face container \(huggingface-pytorch-training\) and enableNetworkIsolation is true, but hyperParameters\.sagemaker_submit_directory points at Amazon S3/);
            // The code as an input channel: the policy applies and passes.
            r = await pack.client.analyze(trainingJob("hf-channel", hf, { enableNetworkIsolation: true, hyperParameters: { sagemaker_program: "\"train.py\"" } }));
            assert.deepStrictEqual([r.diagnostics, r.notApplicable.filter(x => x.policyName === FRAMEWORK_POLICY)], [[], []]);
            // Families are configurable; without the family the policy is not applicable.
            await pack.client.configure(defaults({ [FRAMEWORK_POLICY]: { enforcementLevel: "advisory", frameworks: ["xgboost"] } }));
            r = await pack.client.analyze(trainingJob("hf", hf, { enableNetworkIsolation: true, hyperParameters: code }));
            assert.deepStrictEqual(r.diagnostics, []);
            assert.deepStrictEqual(r.notApplicable.filter(x => x.policyName === FRAMEWORK_POLICY),
                [{ policyName: FRAMEWORK_POLICY, reason: "Uses no AWS XGBoost container" }]);
            const xgb = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";
            r = await pack.client.analyze(trainingJob("xgb", xgb, { enableNetworkIsolation: true, hyperParameters: { sagemaker_submit_directory: "\"s3://b/xgb.tar.gz\"" } }));
            assert.deepStrictEqual(r.diagnostics.map(x => x.policyName), [FRAMEWORK_POLICY]);
            assert.match(r.diagnostics[0].message, /AWS's XGBoost container \(sagemaker-xgboost\)/);
        });

        it("Analyze: a Marketplace-shaped ARN in a region the seller table does not cover gets a cannot-tell note", async () => {
            await pack.client.configure(defaults());
            const gov = "arn:aws-us-gov:sagemaker:us-gov-west-1:111122223333:model-package/gov-pkg/2";
            let d = (await pack.client.analyze(model("gov", { primaryContainer: { modelPackageName: gov } }))).diagnostics.filter(x => x.policyName === MARKETPLACE_POLICY);
            assert.deepStrictEqual(d.map(x => x.level), ["advisory"]);
            assert.match(d[0].message, /^Cannot check: gov: primaryContainer\.modelPackageName is a model package of account 111122223333 in a region the pack's table of Marketplace seller accounts does not cover, so the pack cannot tell/);
            // Isolated, or from an own account: nothing to say.
            assert.deepStrictEqual((await pack.client.analyze(model("gov-iso", { enableNetworkIsolation: true, primaryContainer: { modelPackageName: gov } }))).diagnostics, []);
            await pack.client.configure(defaults({ [MARKETPLACE_POLICY]: { enforcementLevel: "mandatory", ownAccountIds: ["111122223333"] } }));
            d = (await pack.client.analyze(model("gov-own", { primaryContainer: { modelPackageName: gov } }))).diagnostics;
            assert.deepStrictEqual(d.map(x => x.policyName), [MODEL_POLICY]);
        });

        it("AnalyzeStack: VPC endpoints through ids, dependencies and propertyDependencies", async () => {
            await pack.client.configure(defaults());
            assert.deepStrictEqual((await pack.client.analyzeStack(network({ endpoint: true }))).diagnostics, []);

            const missing = network({ endpoint: false });
            let d = (await pack.client.analyzeStack(missing)).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level, x.urn]), [[VPC_POLICY, "advisory", urn(MODEL, "isolated")]]);
            assert.match(d[0].message, /is in VPC main, which has no VPC endpoint for com\.amazonaws\.<region>\.s3/);

            // Preview: the model's subnets are unknown; the policy follows propertyDependencies.vpcConfig.
            d = (await pack.client.analyzeStack(network({ endpoint: false, previewSubnets: true }))).diagnostics;
            assert.deepStrictEqual(d.map(x => x.policyName), [VPC_POLICY]);
            assert.match(d[0].message, /is in VPC main, which has no VPC endpoint/);
            // ... and the endpoint's VPC id is unknown: it is matched through its dependencies.
            assert.deepStrictEqual((await pack.client.analyzeStack(network({ endpoint: true, previewSubnets: true, endpointVpcUnknown: true }))).diagnostics, []);

            // Mandatory through configuration, with an extra required service.
            await pack.client.configure(defaults({ [VPC_POLICY]: { enforcementLevel: "mandatory", requiredServices: ["s3", "sts"] } }));
            d = (await pack.client.analyzeStack(network({ endpoint: true }))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[VPC_POLICY, "mandatory"]]);
            // The region is the one the stack's S3 endpoint names.
            assert.match(d[0].message, /is in VPC main, which has no VPC endpoint for com\.amazonaws\.us-east-1\.sts\./);
        });

        for (const phase of ["preview", "update"] as const) {
            it(`AnalyzeStack, networks shaped as @pulumi/awsx ec2.Vpc builds them (${phase === "preview" ? "preview of a new stack" : "after update"})`, async () => {
                await pack.client.configure(defaults());
                const vpcFindings = async (resources: AnalyzerResource[], config = defaults()) => {
                    await pack.client.configure(config);
                    const r = await pack.client.analyzeStack(resources);
                    return { ds: r.diagnostics.filter(x => x.policyName === VPC_POLICY), na: r.notApplicable.filter(x => x.policyName === VPC_POLICY) };
                };
                const one = async (resources: AnalyzerResource[], config?: PolicyConfig) => {
                    const { ds } = await vpcFindings(resources, config);
                    assert.strictEqual(ds.length, 1, JSON.stringify(ds));
                    assert.ok(!ds[0].message.includes("<region>") && ds[0].message.length <= 1000, ds[0].message);
                    return ds[0];
                };
                const S3 = "com.amazonaws.us-east-1.s3";
                const ids = (subnets: AnalyzerResource[]) => subnets.map(s => phase === "preview" ? s.name : s.props["id"] as string);

                // Shared VPC: subnets declared here in a VPC of another stack (a stack reference).
                let b = new awsx.StackBuilder(phase);
                const ref = b.add("pulumi:pulumi:StackReference", "acme/network/prod", { name: "acme/network/prod", outputs: { vpcId: "vpc-0a1b2c3d4e5f67890" } });
                const shared = ["a", "b"].map(az => b.add(SUBNET, `ml-private-${az}`, {
                    id: b.id("subnet"), vpcId: "vpc-0a1b2c3d4e5f67890", availabilityZone: `us-east-1${az}`, region: "us-east-1",
                }, { deps: { vpcId: [ref] } }));
                let m = awsx.model(b, "scorer", shared);
                let d = await one(b.resources);
                assert.deepStrictEqual([d.level, d.urn], ["advisory", m.urn]);
                assert.strictEqual(d.message, `scorer: the model at vpcConfig is in subnets ${ids(shared).join(" and ")} whose VPC is not declared in this stack, ` +
                    "so its VPC endpoints (s3) cannot be verified. Declare the VPC here, or set unresolvedVpc to \"ignore\" for VPCs managed elsewhere.");
                assert.deepStrictEqual((await vpcFindings(b.resources, defaults({ [VPC_POLICY]: { enforcementLevel: "mandatory", unresolvedVpc: "ignore" } }))).ds, []);

                // vpcEndpointSpecs with the default strategy ("Legacy"): a Gateway endpoint on no route table
                // (no NAT gateways: the private subnets have no other way out).
                b = new awsx.StackBuilder(phase);
                let vpc = awsx.awsxVpc(b, { endpointSpecs: [{ serviceName: S3 }], natGateways: "None" });
                const everySubnet = [...vpc.publicSubnets, ...vpc.privateSubnets];
                m = awsx.model(b, "scorer", vpc.privateSubnets, { record: everySubnet });
                d = await one(b.resources);
                assert.deepStrictEqual([d.level, d.urn], ["advisory", m.urn]);
                // During preview the model's record names every subnet of the VPC: none has a route.
                const named = ids(phase === "preview" ? everySubnet : vpc.privateSubnets);
                assert.ok(d.message.startsWith(`scorer: the model at vpcConfig is in VPC ml, where subnets ${named.slice(0, -1).join(", ")} and ${named[named.length - 1]} ` +
                    `have no route to ${S3}: Gateway endpoint ${S3} is not on their route tables.`), d.message);
                // "Auto": on every route table awsx made.
                b = new awsx.StackBuilder(phase);
                vpc = awsx.awsxVpc(b, { endpointSpecs: [{ serviceName: S3 }], vpcEndpointStrategy: "Auto" });
                awsx.model(b, "scorer", vpc.privateSubnets, { record: [...vpc.publicSubnets, ...vpc.privateSubnets] });
                assert.deepStrictEqual((await vpcFindings(b.resources)).ds, []);

                // A Gateway endpoint on the public subnets' route tables only; the model uses the private subnets.
                for (const record of ["exact", "awsx"] as const) {
                    b = new awsx.StackBuilder(phase);
                    vpc = awsx.awsxVpc(b, { natGateways: "None" });
                    b.add(ENDPOINT, "s3", {
                        id: b.id("vpce"), vpcId: b.ref(vpc.vpc), serviceName: S3, vpcEndpointType: "Gateway",
                        routeTableIds: vpc.publicRouteTables.map(rt => b.ref(rt)),
                    }, { deps: { vpcId: [vpc.vpc], routeTableIds: vpc.publicRouteTables } });
                    m = awsx.model(b, "scorer", vpc.privateSubnets, record === "awsx" ? { record: [...vpc.publicSubnets, ...vpc.privateSubnets] } : {});
                    d = await one(b.resources);
                    if (phase === "preview" && record === "awsx") {
                        // Which subnets it uses is not known yet, and only the private ones lack the route.
                        assert.deepStrictEqual([d.level, d.message], ["advisory",
                            "Cannot check during preview: scorer: the model at vpcConfig is in VPC ml; whether it has VPC endpoints for s3 is checked when the subnets it uses are known."]);
                    } else {
                        assert.strictEqual(d.message, `scorer: the model at vpcConfig is in VPC ml, where subnets ${ids(vpc.privateSubnets).join(" and ")} have no route to ${S3}: ` +
                            "Gateway endpoint s3 is not on their route tables. Put a Gateway endpoint on the subnets' route tables " +
                            "(routeTableIds or aws.ec2.VpcEndpointRouteTableAssociation), so SageMaker can reach s3 from the VPC.");
                    }
                }

                // An Interface endpoint for S3 without private DNS (left to the provider's default), then with it.
                for (const privateDnsEnabled of [undefined, true]) {
                    b = new awsx.StackBuilder(phase);
                    vpc = awsx.awsxVpc(b, { endpointSpecs: [{ serviceName: S3, vpcEndpointType: "Interface", privateDnsEnabled }], natGateways: "None" });
                    awsx.model(b, "scorer", vpc.privateSubnets);
                    if (privateDnsEnabled) {
                        assert.deepStrictEqual((await vpcFindings(b.resources)).ds, []);
                    } else {
                        d = await one(b.resources);
                        assert.strictEqual(d.message, `scorer: the model at vpcConfig is in VPC ml, where subnets ${ids(vpc.privateSubnets).join(" and ")} have no route to ${S3}: ` +
                            `Interface endpoint ${S3} has private DNS off (privateDnsEnabled), so the service's usual hostnames do not resolve to it. ` +
                            "Set privateDnsEnabled: true on the Interface endpoint, so SageMaker can reach s3 from the VPC.");
                    }
                }

                // A 40,000-step pipeline in one VPC without a route: one finding. Its definition holds
                // the subnet ids, so it can be read once they are known: on a preview of a change to
                // a deployed network, or after the update (in the preview of a new stack the whole
                // definition is not known yet, and this policy has nothing to judge in it).
                b = new awsx.StackBuilder("update");
                vpc = awsx.awsxVpc(b, { endpointSpecs: [{ serviceName: S3 }], natGateways: "None" });
                const steps = Array.from({ length: 40000 }, (_, i) => ({
                    Name: `Train${i}`, Type: "Training",
                    Arguments: { EnableNetworkIsolation: true, VpcConfig: { Subnets: vpc.privateSubnets.map(s => s.props["id"]), SecurityGroupIds: ["sg-0123456789abcdef0"] } },
                }));
                const pipeline = b.add(PIPELINE, "big", { pipelineDefinition: JSON.stringify({ Version: "2020-12-01", Steps: steps }) },
                    { deps: { pipelineDefinition: [...vpc.publicSubnets, ...vpc.privateSubnets] } });
                d = await one(b.resources);
                assert.strictEqual(d.urn, pipeline.urn);
                assert.strictEqual(d.message, "big: the training job at pipelineDefinition.Steps[0](Train0).Arguments.VpcConfig, " +
                    "the training job at pipelineDefinition.Steps[1](Train1).Arguments.VpcConfig, the training job at pipelineDefinition.Steps[2](Train2).Arguments.VpcConfig " +
                    `and 39997 more are in VPC ml, where subnets ${vpc.privateSubnets.map(s => s.props["id"]).join(" and ")} have no route to ${S3}: ` +
                    `Gateway endpoint ${S3} is not on their route tables. Put a Gateway endpoint on the subnets' route tables ` +
                    "(routeTableIds or aws.ec2.VpcEndpointRouteTableAssociation), so SageMaker can reach s3 from the VPC.");
                if (phase === "preview") {
                    b = new awsx.StackBuilder("preview");
                    vpc = awsx.awsxVpc(b, { endpointSpecs: [{ serviceName: S3 }] });
                    b.add(PIPELINE, "big", { pipelineDefinition: UNKNOWN_SENTINEL }, { deps: { pipelineDefinition: [...vpc.publicSubnets, ...vpc.privateSubnets] } });
                    const r = await vpcFindings(b.resources);
                    assert.deepStrictEqual([r.ds, r.na.map(x => x.reason)], [[], ["No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC"]]);
                }

                // NAT gateways (awsx's natGateways strategies) without endpoints: the private subnets reach
                // S3 through them, and the finding says so; natCounts accepts them. With "Auto" endpoints: passes.
                for (const natGateways of ["Single", "OnePerAz", "None"] as const) {
                    b = new awsx.StackBuilder(phase);
                    vpc = awsx.awsxVpc(b, { natGateways });
                    assert.strictEqual(vpc.natGateways.length, { Single: 1, OnePerAz: 2, None: 0 }[natGateways]);
                    m = awsx.model(b, "scorer", vpc.privateSubnets);
                    d = await one(b.resources);
                    assert.strictEqual(d.urn, m.urn);
                    assert.strictEqual(d.message, natGateways === "None"
                        ? `scorer: the model at vpcConfig is in VPC ml, which has no VPC endpoint for ${S3}. Add the missing endpoints (aws.ec2.VpcEndpoint), so SageMaker can reach s3 from the VPC.`
                        : `scorer: the model at vpcConfig is in VPC ml, which has no VPC endpoint for ${S3}; traffic from subnets ${ids(vpc.privateSubnets).join(" and ")} to s3 ` +
                            "goes out through a NAT gateway to the public service endpoint: it works, but under no endpoint policy. Add the missing endpoints (aws.ec2.VpcEndpoint), " +
                            "so that traffic to s3 stays on the AWS network under an endpoint policy instead (or set natCounts: true to accept the NAT gateway).");
                    assert.ok(!/cannot reach|no route/.test(d.message) || natGateways === "None", d.message);
                    const natCounts = defaults({ [VPC_POLICY]: { enforcementLevel: "advisory", natCounts: true } });
                    assert.strictEqual((await vpcFindings(b.resources, natCounts)).ds.length, natGateways === "None" ? 1 : 0);
                    // The model's record names every subnet (awsx outputs): the public ones have no NAT route.
                    b = new awsx.StackBuilder(phase);
                    vpc = awsx.awsxVpc(b, { natGateways });
                    awsx.model(b, "scorer", vpc.privateSubnets, { record: [...vpc.publicSubnets, ...vpc.privateSubnets] });
                    const r = await vpcFindings(b.resources, natCounts);
                    if (phase === "update" || natGateways === "None") {
                        assert.strictEqual(r.ds.length, natGateways === "None" ? 1 : 0, JSON.stringify(r.ds));
                    } else {
                        assert.deepStrictEqual(r.ds.map(x => [x.level, x.message]), [["advisory",
                            "Cannot check during preview: scorer: the model at vpcConfig is in VPC ml; whether it has VPC endpoints for s3 is checked when the subnets it uses are known."]]);
                    }
                    // With an S3 Gateway endpoint awsx puts on every route table ("Auto"): passes.
                    b = new awsx.StackBuilder(phase);
                    vpc = awsx.awsxVpc(b, { natGateways, vpcEndpointStrategy: "Auto", endpointSpecs: [{ serviceName: S3 }] });
                    awsx.model(b, "scorer", vpc.privateSubnets, { record: [...vpc.publicSubnets, ...vpc.privateSubnets] });
                    assert.deepStrictEqual((await vpcFindings(b.resources)).ds, []);
                }

                // A state whose whole Parameters come at run time declares no VpcConfig.
                b = new awsx.StackBuilder(phase);
                vpc = awsx.awsxVpc(b);
                b.add("aws:sfn/stateMachine:StateMachine", "train", {
                    definition: JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", "Parameters.$": "$.job", End: true } } }),
                });
                const r = await vpcFindings(b.resources);
                assert.deepStrictEqual([r.ds, r.na.map(x => x.reason)], [[], ["No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC"]]);
            });
        }

        it("AnalyzeStack with the stage-2 configuration: the isolated example model needs only its S3 endpoint", async () => {
            const info = await pack.client.getAnalyzerInfo();
            await pack.client.configure(resolveConfig(info, path.join(ROOT, "config", "stage2-per-policy-mandatory.json")));
            // The example's stack export, as AnalyzeStack carries it (outputs; no providers or stack).
            type Entry = { urn: string; type: string; outputs: Record<string, unknown>; parent?: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]> };
            const entries = (JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "isolated-model", "stack-export.json"), "utf8")) as
                { deployment: { resources: Entry[] } }).deployment.resources.filter(r => !r.type.startsWith("pulumi:"));
            const resources = (isolation: boolean): AnalyzerResource[] => entries.map(r => ({
                type: r.type, name: r.urn.split("::").pop()!, urn: r.urn, parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
                props: r.type === MODEL ? { ...r.outputs, enableNetworkIsolation: isolation } : r.outputs,
            }));
            assert.deepStrictEqual((await pack.client.analyzeStack(resources(true))).diagnostics, []);
            // Without isolation its container may call AWS services: the stage-2 list applies.
            const d = (await pack.client.analyzeStack(resources(false))).diagnostics.filter(x => x.policyName === VPC_POLICY);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /^fraud-scorer: the model at vpcConfig is in VPC ml-vpc, which has no VPC endpoint for com\.amazonaws\.us-east-1\.sagemaker\.api, /);
        });

        it("Remediate: nothing to do when no policy is at level remediate", async () => {
            await pack.client.configure(defaults());
            const r = await pack.client.remediate(model("plain", { enableNetworkIsolation: false }));
            assert.deepStrictEqual(r.filter(x => x.properties !== undefined && Object.keys(x.properties).length > 0), []);
        });

        // Uses the model isolation policy's `remediateResource`.
        it("Remediate: the model policy at level remediate turns isolation on", async () => {
            await pack.client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "remediate" } }));
            const r = await pack.client.remediate(model("plain", { enableNetworkIsolation: false }));
            const mine = r.find(x => x.policyName === MODEL_POLICY);
            assert.ok(mine && mine.properties, JSON.stringify(r));
            assert.strictEqual(mine.properties["enableNetworkIsolation"], true);
            // The rest of the inputs are kept.
            assert.strictEqual(mine.properties["executionRoleArn"], "arn:aws:iam::123456789012:role/sm");
        });

        it("prints nothing but the port on stdout", () => {
            assert.strictEqual(outputAtStart, "", "output before or with the port line");
            assert.strictEqual(stdoutAfterPort, "", "stdout after the port line");
            assert.ok(pack.child.exitCode === null, "the pack is still running");
        });

        if (offlineLog) {
            it("made no attempt to reach the network", () => {
                const attempts = fs.existsSync(offlineLog) ? fs.readFileSync(offlineLog, "utf8") : "";
                assert.strictEqual(attempts, "");
                assert.ok(!pack.output().includes("offline-preload"), pack.output());
            });
        }
    });
}

protocolSuite("engine protocol", []);

const offlineLog = path.join(os.tmpdir(), `offline-preload-${process.pid}.log`);
protocolSuite("engine protocol, offline (network blocked by a preload)", ["--require", PRELOAD], offlineLog);

describe("offline preload", function () {
    this.timeout(60000);

    function runWithPreload(script: string) {
        const r = spawnSync(process.execPath, ["--require", PRELOAD, "-e", script], { encoding: "utf8", timeout: 30000 });
        assert.strictEqual(r.status, 0, r.stderr);
        return r.stdout.trim();
    }

    it("blocks a TCP connection to 10.255.255.1:443 synchronously, before any socket is opened", () => {
        // If the preload let the call through, connect() would return a socket (and the
        // connection would hang or fail later, asynchronously); it must throw instead.
        const out = runWithPreload(`
            const net = require("net");
            const results = [];
            for (const attempt of [
                () => net.connect(443, "10.255.255.1"),
                () => net.createConnection({ host: "10.255.255.1", port: 443 }),
                () => new net.Socket().connect({ host: "10.255.255.1", port: 443 }),
                () => require("tls").connect(443, "10.255.255.1"),
                () => require("https").get("https://10.255.255.1/"),
            ]) {
                try { attempt(); results.push("connected"); } catch (e) { results.push(e.code + " " + e.message); }
            }
            console.log(JSON.stringify(results));`);
        const results = JSON.parse(out) as string[];
        assert.strictEqual(results.length, 5);
        for (const r of results) {
            assert.strictEqual(r, "EOFFLINE offline-preload: blocked connection to 10.255.255.1:443");
        }
    });

    it("blocks DNS lookups of non-loopback names, callback and promise forms", () => {
        const out = runWithPreload(`
            const dns = require("dns");
            const results = [];
            try { dns.lookup("example.com", () => results.push("looked up")); } catch (e) { results.push(e.code); }
            try { dns.resolve4("example.com", () => results.push("resolved")); } catch (e) { results.push(e.code); }
            dns.promises.lookup("example.com").then(() => "looked up", e => e.code).then(r => {
                results.push(r);
                return fetch("http://example.com/").then(() => "fetched", e => (e.cause && e.cause.code) || e.message);
            }).then(r => { results.push(r); console.log(JSON.stringify(results)); });`);
        assert.deepStrictEqual(JSON.parse(out), ["EOFFLINE", "EOFFLINE", "EOFFLINE", "EOFFLINE"]);
    });

    it("lets loopback connections through", () => {
        const out = runWithPreload(`
            const net = require("net");
            const server = net.createServer(s => s.end("pong")).listen(0, "127.0.0.1", () => {
                const port = server.address().port;
                let got = [];
                const done = () => { if (got.length === 2) { console.log(got.sort().join(",")); server.close(); } };
                net.connect(port, "127.0.0.1").on("data", d => { got.push("127.0.0.1:" + d); done(); });
                net.connect({ port, host: "localhost", family: 4 }).on("data", d => { got.push("localhost:" + d); done(); });
            });`);
        assert.strictEqual(out, "127.0.0.1:pong,localhost:pong");
    });
});
