/**
 * The engine protocol for the stack policy: AnalyzeStack over gRPC with the pack started as the
 * engine starts it (tests/engine/protocol.ts), plainly and offline, on networks declared directly
 * and as @pulumi/awsx builds them.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AnalyzerResource } from "../../cli/engine/client";
import { resolveConfig } from "../../cli/engine/config";
import { UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import * as awsx from "../network/awsx";
import { about, defaults, ENDPOINT, MODEL, network, packSuite, PIPELINE, PolicyConfig, ROOT, SUBNET, urn, VPC_POLICY } from "./protocol";

packSuite("engine protocol, stacks", pack => {
    /** AnalyzeStack, keeping the diagnostics of the stack policy this suite is about. */
    const analyzeStack = async (rs: AnalyzerResource[]) => about(await pack().client.analyzeStack(rs), [VPC_POLICY]);

    it("AnalyzeStack: VPC endpoints through ids, dependencies and propertyDependencies", async () => {
        await pack().client.configure(defaults());
        assert.deepStrictEqual((await analyzeStack(network({ endpoint: true }))).diagnostics, []);

        const missing = network({ endpoint: false });
        let d = (await analyzeStack(missing)).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level, x.urn]), [[VPC_POLICY, "advisory", urn(MODEL, "isolated")]]);
        assert.match(d[0].message, /is in VPC main, which has no VPC endpoint for com\.amazonaws\.us-east-1\.s3\. .*calls to s3 from it fail/);

        // Preview: the model's subnets are unknown; the policy follows propertyDependencies.vpcConfig.
        d = (await analyzeStack(network({ endpoint: false, previewSubnets: true }))).diagnostics;
        assert.deepStrictEqual(d.map(x => x.policyName), [VPC_POLICY]);
        assert.match(d[0].message, /is in VPC main, which has no VPC endpoint/);
        // ... and the endpoint's VPC id is unknown: it is matched through its dependencies.
        assert.deepStrictEqual((await analyzeStack(network({ endpoint: true, previewSubnets: true, endpointVpcUnknown: true }))).diagnostics, []);

        // Mandatory through configuration, with an extra required service.
        await pack().client.configure(defaults({ [VPC_POLICY]: { enforcementLevel: "mandatory", requiredServices: ["s3", "sts"] } }));
        d = (await analyzeStack(network({ endpoint: true }))).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[VPC_POLICY, "mandatory"]]);
        // The region is the one the stack's S3 endpoint names.
        assert.match(d[0].message, /is in VPC main, which has no VPC endpoint for com\.amazonaws\.us-east-1\.sts\./);
    });

    for (const phase of ["preview", "update"] as const) {
        it(`AnalyzeStack, networks shaped as @pulumi/awsx ec2.Vpc builds them (${phase === "preview" ? "preview of a new stack" : "after update"})`, async () => {
            await pack().client.configure(defaults());
            const vpcFindings = async (resources: AnalyzerResource[], config = defaults()) => {
                await pack().client.configure(config);
                const r = await pack().client.analyzeStack(resources);
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
                "so its VPC endpoints (s3) cannot be verified. Declare the VPC here, list the subnets in externalSubnets if their VPC's endpoints are vouched for, " +
                "or set unresolvedVpc to \"ignore\" for VPCs managed elsewhere.");
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
                        "(routeTableIds or aws.ec2.VpcEndpointRouteTableAssociation), so SageMaker can reach s3 from the VPC. " +
                        "Until then, calls to s3 from it fail: no endpoint and no route out.");
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
                        // awsx gives an Interface endpoint spec no subnets of its own: it serves none.
                        `Interface endpoint ${S3} serves no subnet (it has no subnetIds; an Interface endpoint meant as a Gateway one? see vpcEndpointType) ` +
                        `and Interface endpoint ${S3} has private DNS off (privateDnsEnabled), so the service's usual hostnames do not resolve to it. ` +
                        "Give the Interface endpoint subnets (subnetIds) or make it a Gateway endpoint (vpcEndpointType \"Gateway\"), and set privateDnsEnabled: true " +
                        "on the Interface endpoint, so SageMaker can reach s3 from the VPC. Until then, calls to s3 from it fail: no endpoint and no route out.");
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
                "(routeTableIds or aws.ec2.VpcEndpointRouteTableAssociation), so SageMaker can reach s3 from the VPC. " +
                "Until then, calls to s3 from it fail: no endpoint and no route out.");
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
                    ? `scorer: the model at vpcConfig is in VPC ml, which has no VPC endpoint for ${S3}. Add the missing endpoints (aws.ec2.VpcEndpoint), so SageMaker can reach s3 from the VPC. Until then, calls to s3 from it fail: no endpoint and no route out.`
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
        const info = await pack().client.getAnalyzerInfo();
        await pack().client.configure(resolveConfig(info, path.join(ROOT, "config", "stage2-per-policy-mandatory.json")));
        // The example's stack export, as AnalyzeStack carries it (outputs; no providers or stack).
        type Entry = { urn: string; type: string; outputs: Record<string, unknown>; parent?: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]> };
        const entries = (JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "isolated-model", "stack-export.json"), "utf8")) as
            { deployment: { resources: Entry[] } }).deployment.resources.filter(r => !r.type.startsWith("pulumi:"));
        const resources = (isolation: boolean): AnalyzerResource[] => entries.map(r => ({
            type: r.type, name: r.urn.split("::").pop()!, urn: r.urn, parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            props: r.type === MODEL ? { ...r.outputs, enableNetworkIsolation: isolation } : r.outputs,
        }));
        assert.deepStrictEqual((await analyzeStack(resources(true))).diagnostics, []);
        // Without isolation its container may call AWS services: the stage-2 list applies.
        const d = (await analyzeStack(resources(false))).diagnostics.filter(x => x.policyName === VPC_POLICY);
        assert.strictEqual(d.length, 1);
        assert.match(d[0].message, /^fraud-scorer: the model at vpcConfig is in VPC ml-vpc, which has no VPC endpoint for com\.amazonaws\.us-east-1\.sagemaker\.api, /);
    });
});
