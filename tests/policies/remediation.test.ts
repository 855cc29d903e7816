import { modelNetworkIsolation, notebookNetworkAccess, processingNetworkIsolation, studioVpcOnly, trainingNetworkIsolation } from "../rules";
import * as assert from "assert";
import { Policy, ResourceValidationPolicy } from "@pulumi/policy";
import { setPath } from "../../policies/frame/remediation";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../policies/values/sentinels";
import { analyze, call, secret, UNKNOWN_SENTINEL, urnOf } from "../harness";
import { analyzeRequest, remediations } from "../../cli/engine/client";
const server = require("@pulumi/policy/server");

/** The engine's Remediate call with the policy at level `remediate`: the new properties, if any. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read the remediated properties by path
async function remediate(policy: Policy, type: string, props: Record<string, unknown>, config?: Record<string, unknown>): Promise<Record<string, any> | undefined> {
    const req = analyzeRequest({ type, name: "res", urn: urnOf(type, "res"), props });
    const p = policy as ResourceValidationPolicy;
    const withConfig: ResourceValidationPolicy = config === undefined ? p
        : { ...p, remediateResource: args => p.remediateResource!({ ...args, getConfig: <T extends object>() => config as T }) };
    const fn = server.makeRemediateRpcFun("sagemaker-network-isolation", "0.0.0", "advisory", [{ ...withConfig, enforcementLevel: "remediate" }]);
    const list = remediations(await call(fn, req));
    assert.ok(list.length <= 1);
    return list[0]?.properties;
}

const CHAINER = "520713654638.dkr.ecr.us-east-1.amazonaws.com/sagemaker-chainer:5.0.0-cpu-py3";
const PYTORCH = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310";

describe("remediation", () => {
    it("turns isolation on for a model with it off, keeping every other property and secrets", async () => {
        const out = await remediate(modelNetworkIsolation, "aws:sagemaker/model:Model", {
            executionRoleArn: "arn:aws:iam::123456789012:role/r",
            enableNetworkIsolation: false,
            primaryContainer: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1", environment: { TOKEN: secret("S3CR3T") } },
        });
        assert.ok(out);
        assert.strictEqual(out.enableNetworkIsolation, true);
        assert.strictEqual(out.executionRoleArn, "arn:aws:iam::123456789012:role/r");
        const token = out.primaryContainer.environment.TOKEN;
        assert.strictEqual(token[SECRET_SIG_KEY], SECRET_SIG, "the secret stays a secret");
        assert.strictEqual(token.value, "S3CR3T");
    });

    it("leaves a resource an exemption covers alone, until the exemption expires", async () => {
        const type = "aws:sagemaker/model:Model";
        const props = { enableNetworkIsolation: false, primaryContainer: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1" } };
        assert.strictEqual(await remediate(modelNetworkIsolation, type, props, { exemptions: [{ resource: "res", reason: "licence server" }] }), undefined);
        const expired = await remediate(modelNetworkIsolation, type, props, { exemptions: [{ resource: "res", reason: "r", expires: "2001-01-01" }] });
        assert.strictEqual(expired?.enableNetworkIsolation, true);
    });

    it("changes a secret object in place of the secret, which stays a secret", async () => {
        const out = await remediate(processingNetworkIsolation, "aws-native:sagemaker:ProcessingJob", {
            networkConfig: secret({ enableInterContainerTrafficEncryption: true }),
        });
        assert.strictEqual(out?.networkConfig[SECRET_SIG_KEY], SECRET_SIG);
        assert.deepStrictEqual(out?.networkConfig.value, { enableInterContainerTrafficEncryption: true, enableNetworkIsolation: true });
    });

    it("sets isolation in every training job definition of a tuning job that lacks it", async () => {
        const out = await remediate(trainingNetworkIsolation, "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob", {
            trainingJobDefinitions: [{ enableNetworkIsolation: true, roleArn: "a" }, { roleArn: "b" }],
        });
        assert.deepStrictEqual(out?.trainingJobDefinitions, [
            { enableNetworkIsolation: true, roleArn: "a" }, { enableNetworkIsolation: true, roleArn: "b" },
        ]);
    });

    it("creates networkConfig for a data quality job definition", async () => {
        const out = await remediate(processingNetworkIsolation, "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition", {
            roleArn: "r",
        });
        assert.deepStrictEqual(out?.networkConfig, { enableNetworkIsolation: true });
    });

    it("sets it inside an inline monitoring job definition and an aws-native processing job", async () => {
        const sched = await remediate(processingNetworkIsolation, "aws-native:sagemaker:MonitoringSchedule", {
            monitoringScheduleConfig: { monitoringJobDefinition: { networkConfig: { enableNetworkIsolation: false } } },
        });
        assert.strictEqual(sched?.monitoringScheduleConfig.monitoringJobDefinition.networkConfig.enableNetworkIsolation, true);
        const job = await remediate(processingNetworkIsolation, "aws-native:sagemaker:ProcessingJob", { appSpecification: { imageUri: "x" } });
        assert.strictEqual(job?.networkConfig.enableNetworkIsolation, true);
    });

    it("is skipped for a container that cannot run isolated; the violation says why, the way to accept it, and that the level makes it mandatory", async () => {
        assert.strictEqual(await remediate(modelNetworkIsolation, "aws:sagemaker/model:Model", { primaryContainer: { image: CHAINER } }), undefined);
        const [d, ...rest] = await analyze(modelNetworkIsolation, { type: "aws:sagemaker/model:Model", props: { primaryContainer: { image: CHAINER } } });
        assert.strictEqual(rest.length, 0);
        assert.match(d.message, /Before you do: primaryContainer\.image is AWS's Chainer container \(sagemaker-chainer\), which cannot run with network isolation.*\. To keep it off, exempt the resource in this policy's configuration: "exemptions": \[\{ "resource": "[^"]+", "reason": "<why>", "expires": "<YYYY-MM-DD>" \}\]\. \(This policy is at level remediate: Pulumi reports what its remediation does not fix as mandatory\.\)$/);
        // Analyze without Remediate before it (the policy is not at level remediate): no word of remediation.
        const [plain] = await analyze(modelNetworkIsolation, { type: "aws:sagemaker/model:Model", props: { primaryContainer: { image: CHAINER } } });
        assert.ok(!plain.message.includes("remediat"), plain.message);
        assert.strictEqual(await remediate(modelNetworkIsolation, "aws:sagemaker/model:Model", {
            primaryContainer: { image: PYTORCH, environment: { SAGEMAKER_SUBMIT_DIRECTORY: "s3://bucket/code.tar.gz" } },
        }), undefined);
        // The same PyTorch container with its code packaged in the model is remediated.
        const ok = await remediate(modelNetworkIsolation, "aws:sagemaker/model:Model", {
            primaryContainer: { image: PYTORCH, environment: { SAGEMAKER_SUBMIT_DIRECTORY: "/opt/ml/model/code" } },
        });
        assert.strictEqual(ok?.enableNetworkIsolation, true);
    });

    it("leaves unknown values, documents and compliant resources alone", async () => {
        assert.strictEqual(await remediate(modelNetworkIsolation, "aws:sagemaker/model:Model", { enableNetworkIsolation: UNKNOWN_SENTINEL }), undefined);
        assert.strictEqual(await remediate(modelNetworkIsolation, "aws:sagemaker/model:Model", { enableNetworkIsolation: true }), undefined);
        assert.strictEqual(await remediate(processingNetworkIsolation, "aws-native:sagemaker:ProcessingJob", { networkConfig: UNKNOWN_SENTINEL }), undefined);
        const pipeline = JSON.stringify({ Steps: [{ Name: "T", Type: "Training", Arguments: {} }] });
        assert.strictEqual(await remediate(trainingNetworkIsolation, "aws:sagemaker/pipeline:Pipeline", { pipelineDefinition: pipeline }), undefined);
        assert.strictEqual(await remediate(modelNetworkIsolation, "aws:s3/bucket:Bucket", {}), undefined);
    });
});

describe("remediation of notebook instances and Studio domains", () => {
    const NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance";
    const placed = { instanceType: "ml.t3.medium", roleArn: "r", subnetId: "subnet-1", securityGroups: ["sg-1"] };

    it("sets directInternetAccess Disabled where a subnet and security groups are set (not known yet counts), keeping secrets", async () => {
        const out = await remediate(notebookNetworkAccess, NOTEBOOK, { ...placed, directInternetAccess: "Enabled", kmsKeyId: secret("S3CR3T") });
        assert.strictEqual(out?.directInternetAccess, "Disabled");
        assert.strictEqual(out?.subnetId, "subnet-1");
        assert.strictEqual(out?.kmsKeyId[SECRET_SIG_KEY], SECRET_SIG, "the secret stays a secret");
        assert.strictEqual((await remediate(notebookNetworkAccess, NOTEBOOK, { ...placed, subnetId: UNKNOWN_SENTINEL }))?.directInternetAccess, "Disabled");
        const native = await remediate(notebookNetworkAccess, "aws-native:sagemaker:NotebookInstance", { instanceType: "ml.t3.medium", roleArn: "r", subnetId: secret("subnet-1"), securityGroupIds: ["sg-1"] });
        assert.strictEqual(native?.directInternetAccess, "Disabled");
    });

    it("leaves a notebook instance alone without a subnet or security groups (AWS would reject Disabled), when compliant, unknown or exempted", async () => {
        const { subnetId: _s, ...noSubnet } = placed;
        const { securityGroups: _g, ...noGroups } = placed;
        for (const props of [noSubnet, noGroups, { ...placed, subnetId: "" }, { ...placed, securityGroups: [] }, { ...placed, directInternetAccess: "Disabled" },
            { ...placed, directInternetAccess: UNKNOWN_SENTINEL }, { ...placed, directInternetAccess: "[secret]" }]) {
            assert.strictEqual(await remediate(notebookNetworkAccess, NOTEBOOK, props), undefined, JSON.stringify(props));
        }
        // aws-native names the security groups securityGroupIds: securityGroups there is not them.
        assert.strictEqual(await remediate(notebookNetworkAccess, "aws-native:sagemaker:NotebookInstance", placed), undefined);
        assert.strictEqual(await remediate(notebookNetworkAccess, NOTEBOOK, placed, { exemptions: [{ resource: "res", reason: "sandbox" }] }), undefined);
        assert.strictEqual(await remediate(notebookNetworkAccess, "aws:sagemaker/domain:Domain", placed), undefined);
    });

    it("sets appNetworkAccessType VpcOnly on a domain without it, or with PublicInternetOnly; leaves VpcOnly, unknown and exempted alone", async () => {
        const DOMAIN = "aws:sagemaker/domain:Domain";
        const domain = { domainName: "d", authMode: "IAM", vpcId: "vpc-1", subnetIds: ["subnet-1"] };
        assert.strictEqual((await remediate(studioVpcOnly, DOMAIN, domain))?.appNetworkAccessType, "VpcOnly");
        const native = await remediate(studioVpcOnly, "aws-native:sagemaker:Domain", { ...domain, appNetworkAccessType: "PublicInternetOnly" });
        assert.deepStrictEqual(native, { ...domain, appNetworkAccessType: "VpcOnly" });
        for (const v of ["VpcOnly", UNKNOWN_SENTINEL, "[secret]"]) {
            assert.strictEqual(await remediate(studioVpcOnly, DOMAIN, { ...domain, appNetworkAccessType: v }), undefined, v);
        }
        assert.strictEqual(await remediate(studioVpcOnly, DOMAIN, domain, { exemptions: [{ resource: "r*", reason: "demo" }] }), undefined);
        assert.strictEqual(await remediate(studioVpcOnly, NOTEBOOK, domain), undefined);
    });
});

describe("setPath", () => {
    it("copies only the objects on the path", () => {
        const root = { a: { b: [{ c: 1 }, { c: 2 }] }, d: { e: 1 } };
        const out = setPath(root, "a.b[1].c", 3)!;
        assert.deepStrictEqual(out, { a: { b: [{ c: 1 }, { c: 3 }] }, d: { e: 1 } });
        assert.strictEqual(out["d"], root.d);
        assert.deepStrictEqual(root.a.b[1], { c: 2 }, "the input is not modified");
    });
    it("refuses to go through a value that is not an object", () => {
        assert.strictEqual(setPath({ a: "x" }, "a.b", true), undefined);
        assert.strictEqual(setPath({ a: [1] }, "a.b", true), undefined);
        assert.strictEqual(setPath({ a: {} }, "a[0]", true), undefined);
    });
});
