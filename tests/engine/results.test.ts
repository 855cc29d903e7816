/**
 * Policy results over the engine protocol, as Pulumi Cloud records them: per Analyze or
 * AnalyzeStack call, failed = the policies with a diagnostic, not applicable = the response's
 * not_applicable list, passed = the enabled policies of that kind minus both. The pack is started
 * as the engine starts it; each of the places the pack runs is driven the way it calls the pack:
 * a preview (inputs, unknowns), `pulumi policy analyze` and audit groups on stacks (a state's
 * inputs, outputs to the stack policy, undecryptable secrets as "[secret]"), and audit groups
 * on cloud accounts (Insights-discovered resources: classic types, read outputs, no stack policy).
 */
import { RULES } from "../../policies/catalogue/index";
import { covering as coveringType, ENABLED_RESOURCE_POLICIES as RESOURCE_POLICIES, WORKLOAD_POLICIES } from "../subjects";
import {
    IN_VPC, MODEL, NOTEBOOK, PROCESSING, STUDIO, TRAINING, VPC_ENDPOINTS,
} from "../rules";
import * as assert from "assert";
import * as path from "path";
import { AnalyzeResult, AnalyzerResource, Level, PackProcess, startPack } from "../../cli/engine/client";
import { UNKNOWN_SENTINEL } from "../harness";

const ROOT = path.resolve(__dirname, "..", "..");
const urn = (type: string, name: string) => `urn:pulumi:dev::ml::${type}::${name}`;

const LEVELS: Record<string, Level> = Object.fromEntries(RULES.map(r => [r.name, r.enforcementLevel]));

interface Verdicts {
    failed: string[];
    passed: string[];
    notApplicable: string[];
}

/** The engine's summary of one response: which enabled policies failed, passed, or did not apply. */
function verdicts(r: AnalyzeResult, enabled: string[]): Verdicts {
    const failed = [...new Set(r.diagnostics.map(d => d.policyName))].sort();
    const notApplicable = r.notApplicable.map(x => x.policyName).sort();
    const passed = enabled.filter(p => !failed.includes(p) && !notApplicable.includes(p)).sort();
    return { failed, passed, notApplicable };
}

/** The catalogue's enabled resource policies whose subject covers a resource (tests/subjects.ts). */
function covering(res: AnalyzerResource, enabled: string[]): string[] {
    return coveringType(res.type, res.props, enabled);
}

/**
 * What a test is about: the policies in `failed` failed, those in `passed` passed, those in
 * `notApplicable` did not apply, and every policy of the catalogue whose subject does not cover
 * the resource did not apply either. Policies that cover it and that the test does not name (a
 * new policy over the same type) may answer anything.
 */
function expectVerdicts(res: AnalyzerResource, r: AnalyzeResult, want: Partial<Verdicts>, enabled = RESOURCE_POLICIES): void {
    const got = verdicts(r, enabled);
    const about = (names: string[] | undefined, list: string[]) => (names ?? []).filter(n => !list.includes(n));
    assert.deepStrictEqual({
        failedNot: about(want.failed, got.failed), passedNot: about(want.passed, got.passed), applied: about(want.notApplicable, got.notApplicable),
        others: enabled.filter(p => !covering(res, enabled).includes(p) && !got.notApplicable.includes(p)),
    }, { failedNot: [], passedNot: [], applied: [], others: [] }, `${res.name}: ${JSON.stringify(got)}`);
}

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1";

function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<AnalyzerResource> = {}): AnalyzerResource {
    return { type, name, urn: urn(type, name), props, ...extra };
}

const bucket = resource("aws:s3/bucketV2:BucketV2", "data", { bucket: "data-1234" });
const isolatedModel = resource("aws:sagemaker/model:Model", "isolated", { enableNetworkIsolation: true, primaryContainer: { image: IMAGE } });
const openModel = resource("aws:sagemaker/model:Model", "open", { enableNetworkIsolation: false, primaryContainer: { image: IMAGE } });
const legacyModel = resource("aws:sagemaker/model:Model", "legacy-scorer", { primaryContainer: { image: IMAGE } });
const trainingPipeline = resource("aws:sagemaker/pipeline:Pipeline", "train-only", {
    pipelineName: "train-only",
    pipelineDefinition: JSON.stringify({
        Version: "2020-12-01",
        Steps: [{
            Name: "Train", Type: "Training",
            Arguments: { AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: "File" }, EnableNetworkIsolation: true },
        }],
    }),
});

describe("policy results over the engine protocol (what Pulumi Cloud scores)", function () {
    this.timeout(120000);
    let pack: PackProcess;

    const configure = (overrides: Record<string, Record<string, unknown>> = {}) => pack.client.configure(Object.fromEntries(
        Object.entries(LEVELS).map(([name, level]) => [name, { enforcementLevel: level, ...overrides[name] }])));
    /** Analyzes `r` and checks the verdicts a test is about (expectVerdicts). */
    const judged = async (r: AnalyzerResource, want: Partial<Verdicts>, enabled?: string[]) => {
        const result = await pack.client.analyze(r);
        expectVerdicts(r, result, want, enabled);
        return result;
    };

    before(async () => {
        pack = await startPack(ROOT, { timeoutMs: 90000 });
    });
    after(async () => {
        await pack?.stop();
    });

    describe("a preview (pulumi preview / up)", () => {
        it("a bucket: not applicable to every resource policy, so it does not count as passing them", async () => {
            await configure();
            const r = await judged(bucket, {});
            assert.deepStrictEqual(covering(bucket, RESOURCE_POLICIES), []);
            assert.ok(r.notApplicable.filter(x => WORKLOAD_POLICIES.includes(x.policyName)).every(x => x.reason === "Not a resource that declares SageMaker models or jobs"),
                JSON.stringify(r.notApplicable));
        });

        it("an isolated model passes the model policy; the others do not apply", async () => {
            await configure();
            await judged(isolatedModel, { passed: [MODEL] });
        });

        it("a model without isolation fails the model policy only", async () => {
            await configure();
            await judged(openModel, { failed: [MODEL], notApplicable: RULES.filter(r => "workloads" in r.subject && !r.subject.workloads.includes("model")).map(r => r.name).filter(n => RESOURCE_POLICIES.includes(n)) });
        });

        it("a pipeline with only a training step: the model policy does not apply to it", async () => {
            await configure();
            const r = await judged(trainingPipeline, { passed: [TRAINING], notApplicable: [MODEL] });
            assert.strictEqual(r.notApplicable.find(x => x.policyName === MODEL)!.reason, "Declares no SageMaker models");
        });

        it("an exempted model: not applicable with the exemption as its reason, no diagnostic, even at mandatory", async () => {
            await configure({ [MODEL]: { enforcementLevel: "mandatory", exemptions: [{ resource: "legacy-*", reason: "vendor licence check, ticket SEC-42", expires: "2999-03-31" }] } });
            const r = await judged(legacyModel, { notApplicable: [MODEL] });
            assert.deepStrictEqual(r.diagnostics.filter(d => d.policyName === MODEL), []);
            assert.strictEqual(r.notApplicable.find(x => x.policyName === MODEL)!.reason, 'Exempted until 2999-03-31 by "legacy-*": vendor licence check, ticket SEC-42');
            // Expired: the violation is back, at the configured level.
            await configure({ [MODEL]: { enforcementLevel: "mandatory", exemptions: [{ resource: "legacy-*", reason: "r", expires: "2001-01-01" }] } });
            const expired = await pack.client.analyze(legacyModel);
            const expiredModel = expired.diagnostics.filter(d => d.policyName === MODEL);
            assert.deepStrictEqual(expiredModel.map(d => d.level), ["mandatory"]);
            assert.match(expiredModel[0].message, /\(the exemption "legacy-\*" for this resource expired on 2001-01-01\)$/);
        });

        it("a value not known yet is an advisory note (the policy applies; Pulumi counts it as not passed)", async () => {
            await configure();
            const r = await judged(resource("aws:sagemaker/model:Model", "later", { enableNetworkIsolation: UNKNOWN_SENTINEL }), { failed: [MODEL] });
            const notes = r.diagnostics.filter(d => d.policyName === MODEL);
            assert.deepStrictEqual(notes.map(d => d.level), ["advisory"]);
            assert.match(notes[0].message, /^Cannot check during preview: later: enableNetworkIsolation is not known yet/);
        });

        it("a notebook instance and a Studio domain: judged by their own policies, not applicable to the others", async () => {
            await configure();
            const notebook = (props: Record<string, unknown>) => resource("aws:sagemaker/notebookInstance:NotebookInstance", "research", {
                instanceType: "ml.t3.medium", roleArn: "arn:aws:iam::123456789012:role/r", ...props,
            });
            const domain = (props: Record<string, unknown>) => resource("aws:sagemaker/domain:Domain", "studio", {
                domainName: "studio", authMode: "IAM", vpcId: "vpc-1", subnetIds: ["subnet-1"], defaultUserSettings: { executionRole: "arn:aws:iam::123456789012:role/r" }, ...props,
            });
            const open = await judged(notebook({}), { failed: [NOTEBOOK], notApplicable: [STUDIO] });
            assert.deepStrictEqual(open.diagnostics.filter(d => d.policyName === NOTEBOOK).map(d => d.level), ["advisory", "advisory"]); // SageMaker.1 and SageMaker.2
            assert.ok(open.notApplicable.filter(x => WORKLOAD_POLICIES.includes(x.policyName)).every(x => x.reason === "Not a resource that declares SageMaker models or jobs"),
                JSON.stringify(open.notApplicable));
            assert.strictEqual(open.notApplicable.find(x => x.policyName === STUDIO)!.reason, "Not a SageMaker Studio domain");
            await judged(notebook({ directInternetAccess: "Disabled", subnetId: "subnet-1", securityGroups: ["sg-1"] }), { passed: [NOTEBOOK], notApplicable: [STUDIO] });
            await judged(domain({}), { failed: [STUDIO], notApplicable: [NOTEBOOK] });
            await judged(domain({ appNetworkAccessType: "PublicInternetOnly" }), { failed: [STUDIO], notApplicable: [NOTEBOOK] });
            const vpcOnly = await judged(domain({ appNetworkAccessType: "VpcOnly" }), { passed: [STUDIO], notApplicable: [NOTEBOOK] });
            assert.strictEqual(vpcOnly.notApplicable.find(x => x.policyName === NOTEBOOK)!.reason, "Not a SageMaker notebook instance");
            // Not known during preview: a note, so the policy applies and does not pass.
            const later = await judged(domain({ appNetworkAccessType: UNKNOWN_SENTINEL }), { failed: [STUDIO] });
            assert.match(later.diagnostics.filter(d => d.policyName === STUDIO)[0].message, /^Cannot check during preview: studio: appNetworkAccessType is not known yet/);
        });

        it("workloads in a VPC: disabled by default (no verdict at all), judged once a configuration turns it on", async () => {
            const bare = resource("aws:sagemaker/model:Model", "no-vpc", { enableNetworkIsolation: true, primaryContainer: { image: IMAGE } });
            await configure();
            const off = await pack.client.analyze(bare);
            assert.ok(![...off.diagnostics.map(d => d.policyName), ...off.notApplicable.map(x => x.policyName)].includes(IN_VPC));
            await configure({ [IN_VPC]: { enforcementLevel: "mandatory" } });
            const enabled = [...RESOURCE_POLICIES, IN_VPC];
            const on = await judged(bare, { failed: [IN_VPC], passed: [MODEL] }, enabled);
            assert.deepStrictEqual(on.diagnostics.filter(d => d.policyName === IN_VPC).map(d => d.level), ["mandatory"]);
            await judged(isolatedModel, { failed: [IN_VPC], passed: [MODEL] }, enabled);
            await judged(bucket, { notApplicable: enabled }, enabled);
        });

        it("the stack policy: applies to a stack with a VPC-attached model, not to one without", async () => {
            await configure();
            const vpc = resource("aws:ec2/vpc:Vpc", "main", { id: "vpc-1" });
            const subnet = resource("aws:ec2/subnet:Subnet", "private-a", { id: "subnet-1", vpcId: "vpc-1", availabilityZone: "us-east-1a" });
            const attached = resource("aws:sagemaker/model:Model", "in-vpc", {
                enableNetworkIsolation: true, primaryContainer: { image: IMAGE }, vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
            });
            const s3 = resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { id: "vpce-1", vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway", routeTableIds: [] });
            const without = await pack.client.analyzeStack([bucket, isolatedModel, openModel]);
            assert.deepStrictEqual(verdicts(without, [VPC_ENDPOINTS]), { failed: [], passed: [], notApplicable: [VPC_ENDPOINTS] });
            assert.strictEqual(without.notApplicable[0].reason, "No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC");
            const missing = await pack.client.analyzeStack([vpc, subnet, attached]);
            assert.deepStrictEqual(verdicts(missing, [VPC_ENDPOINTS]), { failed: [VPC_ENDPOINTS], passed: [], notApplicable: [] });
            assert.strictEqual(missing.diagnostics[0].urn, attached.urn);
            const withEndpoint = await pack.client.analyzeStack([vpc, subnet, attached, s3]);
            assert.strictEqual(verdicts(withEndpoint, [VPC_ENDPOINTS]).notApplicable.length, 0);
        });
    });

    describe("pulumi policy analyze and audit groups on stacks (a state: inputs, then outputs)", () => {
        it("a secret it could not decrypt is 'Cannot check', never a preview note, never invalid JSON", async () => {
            await configure();
            const model = await pack.client.analyze(resource("aws:sagemaker/model:Model", "sealed", { enableNetworkIsolation: "[secret]", primaryContainer: { image: IMAGE } }));
            assert.deepStrictEqual(model.diagnostics.filter(d => d.policyName === MODEL).map(d => [d.policyName, d.level, d.message]), [[MODEL, "advisory",
                "Cannot check: sealed: enableNetworkIsolation is a secret that could not be decrypted, so network isolation of the model cannot be checked."]]);
            const pipeline = await pack.client.analyze(resource("aws:sagemaker/pipeline:Pipeline", "sealed-pipeline", { pipelineName: "p", pipelineDefinition: "[secret]" }));
            assert.ok(pipeline.diagnostics.length > 0);
            for (const d of pipeline.diagnostics) {
                assert.match(d.message, /^Cannot check: sealed-pipeline: pipelineDefinition is a secret that could not be decrypted, so the /);
                assert.ok(!/during preview|not valid JSON/.test(d.message), d.message);
            }
        });
    });

    describe("audit groups on cloud accounts (Insights: classic types with read outputs, no stack policy)", () => {
        const read = (type: string, name: string, props: Record<string, unknown>) => resource(type, name, {
            arn: `arn:aws:sagemaker:us-east-1:123456789012:${name}`, id: name, region: "us-east-1", tags: {}, tagsAll: { team: "ml" }, ...props,
        });

        it("judges the read state like declared inputs: explicit false fails, true passes, other types do not apply", async () => {
            await configure();
            const off = read("aws:sagemaker/model:Model", "discovered-off", {
                name: "discovered-off", enableNetworkIsolation: false, executionRoleArn: "arn:aws:iam::123456789012:role/r",
                primaryContainer: { image: IMAGE, mode: "SingleModel", environment: {} }, containers: [], vpcConfig: null,
            });
            await judged(off, { failed: [MODEL] });
            const on = read("aws:sagemaker/model:Model", "discovered-on", { enableNetworkIsolation: true, primaryContainer: { image: IMAGE }, containers: [] });
            await judged(on, { passed: [MODEL] });
            const dq = read("aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition", "dq", {
                dataQualityAppSpecification: { imageUri: IMAGE }, networkConfig: { enableNetworkIsolation: false, enableInterContainerTrafficEncryption: false },
            });
            await judged(dq, { failed: [PROCESSING], notApplicable: [MODEL, TRAINING, NOTEBOOK, STUDIO] });
            const notebook = read("aws:sagemaker/notebookInstance:NotebookInstance", "discovered-notebook", {
                name: "discovered-notebook", instanceType: "ml.t3.medium", directInternetAccess: "Enabled", subnetId: "", securityGroups: [], networkInterfaceId: "",
            });
            await judged(notebook, { failed: [NOTEBOOK], notApplicable: [MODEL, STUDIO] });
            const domain = read("aws:sagemaker/domain:Domain", "discovered-domain", { domainName: "d", vpcId: "vpc-1", subnetIds: ["subnet-1"], appNetworkAccessType: "VpcOnly" });
            await judged(domain, { passed: [STUDIO], notApplicable: [NOTEBOOK, MODEL] });
            const role = read("aws:iam/role:Role", "sm-role", { assumeRolePolicy: "{}" });
            await judged(role, {});
            assert.deepStrictEqual(covering(role, RESOURCE_POLICIES), []);
        });
    });
});
