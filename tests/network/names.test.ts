/** Regions and endpoint names as the network layer reads them (policies/network/names). */
import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { providerRegion, workloadRegion, zoneServes } from "../../policies/network/names";

const resource = (props: Record<string, unknown>, provider?: Record<string, unknown>) =>
    ({ type: "t", name: "n", urn: "u", props, provider: provider && { type: "pulumi:providers:aws", name: "p", urn: "up", props: provider } }) as unknown as PolicyResource;

describe("network names", () => {
    it("a resource's provider names its Region; a value not known yet or not a Region names none", () => {
        assert.strictEqual(providerRegion(resource({}, { region: "eu-central-1" })), "eu-central-1");
        assert.strictEqual(providerRegion(resource({}, { region: "[secret]" })), undefined);
        assert.strictEqual(providerRegion(resource({}, { region: "somewhere" })), undefined);
        assert.strictEqual(providerRegion(resource({})), undefined);
    });

    it("a workload's Region: its provider, else its ARNs and ECR image URIs", () => {
        assert.strictEqual(workloadRegion(resource({ image: "123456789012.dkr.ecr.ap-south-1.amazonaws.com/m:1" })), "ap-south-1");
        assert.strictEqual(workloadRegion(resource({ c: [{ roleArn: "arn:aws:iam::123456789012:role/x", modelPackageName: "arn:aws:sagemaker:eu-west-3:123456789012:model-package/p" }] })), "eu-west-3");
        assert.strictEqual(workloadRegion(resource({ image: "registry.example.com/m:1" })), undefined);
        assert.strictEqual(workloadRegion(resource({ image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1" }, { region: "us-west-2" })), "us-west-2");
    });

    it("a workload's Region: a list or map of 300,000 values is looked into a bounded way, never thrown on", () => {
        const env = Object.fromEntries(Array.from({ length: 300000 }, (_, i) => [`K${i}`, "v"]));
        const list = Array.from({ length: 300000 }, () => "x");
        assert.strictEqual(workloadRegion(resource({ primaryContainer: { environment: env }, subnets: list })), undefined);
        assert.strictEqual(workloadRegion(resource({ a: "arn:aws:sagemaker:sa-east-1:123456789012:model/m", list })), "sa-east-1");
    });

    it("a private hosted zone serves a service's endpoint name in its Region", () => {
        assert.ok(zoneServes("api.sagemaker.us-east-1.amazonaws.com", "sagemaker.api", "us-east-1"));
        assert.ok(zoneServes("s3.us-east-1.amazonaws.com.", "s3", undefined));
        assert.ok(zoneServes("dkr.ecr.eu-west-1.amazonaws.com", "ecr.dkr", "eu-west-1"));
        assert.ok(zoneServes("notebook.us-east-1.sagemaker.aws", "notebook", "us-east-1"));
        assert.ok(!zoneServes("api.sagemaker.us-east-1.amazonaws.com", "sagemaker.api", "us-west-2"));
        assert.ok(!zoneServes("runtime.sagemaker.us-east-1.amazonaws.com", "sagemaker.api", "us-east-1"));
        assert.ok(!zoneServes("s3.amazonaws.com", "s3", undefined));
        assert.ok(!zoneServes("example.com", "s3", undefined));
    });
});
