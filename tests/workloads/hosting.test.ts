/** The extraction of what is not a model or a job: endpoint configurations, HyperPod clusters, spaces; and the job facts beside isolation. */
import * as assert from "assert";
import { extract } from "../../policies/workloads";
import { UNKNOWN } from "../../policies/values/values";
import { UNKNOWN_SENTINEL } from "../../policies/values/sentinels";

describe("workload extraction: hosting, clusters and job facts", () => {
    it("exposes every VPC attachment of a HyperPod cluster, with its subnets, for the stack's network checks", () => {
        const [w] = extract("aws-native:sagemaker:Cluster", {
            vpcConfig: { subnets: ["subnet-a", UNKNOWN_SENTINEL], securityGroupIds: ["sg-1"] },
            instanceGroups: [{ instanceGroupName: "g" }, { overrideVpcConfig: { subnets: ["subnet-b"], securityGroupIds: ["sg-1"] } }],
            restrictedInstanceGroups: [{ overrideVpcConfig: { subnets: UNKNOWN_SENTINEL } }],
        }).workloads;
        assert.strictEqual(w.kind, "cluster");
        assert.strictEqual(w.vpcState, "set");
        assert.strictEqual(w.vpc, undefined, "the VPC endpoints policy does not judge clusters yet");
        assert.deepStrictEqual(w.attachments, [
            { path: "vpcConfig", subnets: ["subnet-a", UNKNOWN] },
            { path: "instanceGroups[1].overrideVpcConfig", subnets: ["subnet-b"] },
            { path: "restrictedInstanceGroups[0].overrideVpcConfig", subnets: UNKNOWN },
        ]);
        assert.deepStrictEqual(w.overridesWithoutSubnets, []);
    });

    it("tells endpoint configurations that host inference components from those that host models", () => {
        const hosts = (props: Record<string, unknown>, type = "aws-native:sagemaker:EndpointConfig") => {
            const [w] = extract(type, props).workloads;
            return [w.hostsComponents, w.componentsPath];
        };
        assert.deepStrictEqual(hosts({ productionVariants: [{ modelName: "m" }, { modelName: UNKNOWN_SENTINEL }] }), [false, undefined]);
        assert.deepStrictEqual(hosts({ productionVariants: [{ modelName: "m" }], shadowProductionVariants: [{ variantName: "s" }] }),
            [true, "shadowProductionVariants[0]"]);
        assert.deepStrictEqual(hosts({ productionVariants: UNKNOWN_SENTINEL }), [UNKNOWN, "productionVariants"], "the list that cannot be read");
        const [classic] = extract("aws:sagemaker/endpointConfiguration:EndpointConfiguration", { enableNetworkIsolation: true, productionVariants: [{}] }).workloads;
        assert.deepStrictEqual([classic.isolation, classic.isolationUnsupported], ["absent", true], "@pulumi/aws has no such property: never read");
    });

    it("reads inter-container encryption beside isolation, in every dialect", () => {
        const def = JSON.stringify({ Steps: [{ Name: "T", Type: "Training", Arguments: { EnableInterContainerTrafficEncryption: "True", ResourceConfig: { InstanceCount: 1 } } }] });
        const [w] = extract("aws:sagemaker/pipeline:Pipeline", { pipelineDefinition: def }).workloads;
        assert.deepStrictEqual([w.encryption, w.encryptionPath, w.singleInstance],
            ["on", "pipelineDefinition.Steps[0](T).Arguments.EnableInterContainerTrafficEncryption", true]);
        const [m] = extract("aws:sagemaker/model:Model", { enableNetworkIsolation: true }).workloads;
        assert.strictEqual(m.encryption, undefined, "a model has no inter-container traffic");
        const [p] = extract("aws-native:sagemaker:ProcessingJob", { networkConfig: { enableInterContainerTrafficEncryption: false } }).workloads;
        assert.deepStrictEqual([p.encryption, p.encryptionPath, p.singleInstance], ["off", "networkConfig.enableInterContainerTrafficEncryption", undefined]);
    });
});
