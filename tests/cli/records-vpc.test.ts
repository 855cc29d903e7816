/**
 * AWS's records hold no network: a record attached to a VPC is not applicable to the VPC
 * endpoints policy (with that reason), instead of a finding that asks to declare the VPC and
 * lowers the scores. A Pulumi stack whose VPC is elsewhere still gets that finding.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { vpcEndpointsPolicy } from "../rules";
import { ROOT, run } from "./run";

describe("AWS records attached to a VPC (the VPC endpoints policy)", function () {
    this.timeout(120000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "records-vpc-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("a described model in a VPC the records do not hold: not applicable, with the reason; no finding", async () => {
        const model = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "fixtures", "aws-records", "describe", "describe-model.json"), "utf8")) as Record<string, unknown>;
        const file = path.join(tmp, "describe-model.json");
        fs.writeFileSync(file, JSON.stringify({ ...model, VpcConfig: { SecurityGroupIds: ["sg-0a1b"], Subnets: ["subnet-0a1b", "subnet-0c2d"] } }));
        const r = await run(["--format", "json", file]);
        assert.strictEqual(r.code, 0, r.stderr);
        const [stack] = JSON.parse(r.stdout).stacks as { findings: { policyName: string }[]; results: { policyName: string; outcome: string; reason?: string }[] }[];
        assert.deepStrictEqual(stack.findings.filter(f => f.policyName === vpcEndpointsPolicy.name), []);
        const result = stack.results.find(x => x.policyName === vpcEndpointsPolicy.name);
        assert.deepStrictEqual([result?.outcome, result?.reason],
            ["not-applicable", "AWS records: they do not hold the VPCs of their SageMaker resources, so those VPCs' endpoints cannot be judged"]);
    });

    it("a stack export whose VPC is managed elsewhere still asks for it to be declared", async () => {
        const file = path.join(tmp, "export.json");
        fs.writeFileSync(file, JSON.stringify({
            version: 3, deployment: {
                resources: [{
                    urn: "urn:pulumi:dev::p::aws:sagemaker/model:Model::m", type: "aws:sagemaker/model:Model", custom: true,
                    inputs: { enableNetworkIsolation: true, vpcConfig: { subnets: ["subnet-0a1b"], securityGroupIds: ["sg-1"] } },
                    outputs: { enableNetworkIsolation: true, vpcConfig: { subnets: ["subnet-0a1b"], securityGroupIds: ["sg-1"] } },
                }],
            },
        }));
        const r = await run(["--format", "json", file]);
        const [stack] = JSON.parse(r.stdout).stacks as { findings: { policyName: string; message: string }[] }[];
        assert.match(stack.findings.find(f => f.policyName === vpcEndpointsPolicy.name)?.message ?? "", /not declared in this stack/);
    });
});
