/**
 * Inference components whose endpoint configuration the stack does not declare
 * (policies/network/components.ts), through the stack policy: a note each, never a violation,
 * and nothing when the chain reaches a declared endpoint configuration.
 */
import * as assert from "assert";
import { MODEL, VPC_ENDPOINTS, vpcEndpointsPolicy } from "../rules";
import { AnalyzeResult, analyzeStackResult, secret, StackResource, UNKNOWN_SENTINEL, urnOf } from "../harness";
import { diagnosticKind, recordsStackRoot } from "../../policies/values/wire";

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:1";
/** The names AWS knows the endpoint and its configuration by: no message may contain them. */
const ENDPOINT_NAME = "prod-llm-endpoint";
const CONFIG_NAME = "prod-llm-config";

const component = (props: Record<string, unknown> = {}, propertyDependencies?: Record<string, string[]>): StackResource => ({
    type: "aws-native:sagemaker:InferenceComponent", name: "ic",
    props: { endpointName: ENDPOINT_NAME, specification: { container: { image: IMAGE } }, ...props }, propertyDependencies,
});
const nativeEndpoint = (props: Record<string, unknown> = {}, propertyDependencies?: Record<string, string[]>): StackResource => ({
    type: "aws-native:sagemaker:Endpoint", name: "ep", props: { endpointName: ENDPOINT_NAME, endpointConfigName: CONFIG_NAME, ...props }, propertyDependencies,
});
const nativeConfig: StackResource = {
    type: "aws-native:sagemaker:EndpointConfig", name: "cfg", props: {
        endpointConfigName: CONFIG_NAME, enableNetworkIsolation: true, executionRoleArn: "arn:aws:iam::123456789012:role/sm",
        productionVariants: [{ variantName: "v", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 }],
    },
};
const classicEndpoint: StackResource = { type: "aws:sagemaker/endpoint:Endpoint", name: "ep", props: { name: ENDPOINT_NAME, endpointConfigName: CONFIG_NAME } };
const classicConfig: StackResource = {
    type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration", name: "cfg", props: {
        name: CONFIG_NAME, executionRoleArn: "arn:aws:iam::123456789012:role/sm",
        productionVariants: [{ variantName: "v", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 }],
    },
};
/** Not attached to a VPC: the stack policy has nothing else to judge. */
const bucket: StackResource = { type: "aws:s3/bucket:Bucket", name: "data", props: { bucket: "data" } };

/** The stack's one note: about the component, advisory, a note (not a violation), naming neither name AWS knows. */
function oneNote(r: AnalyzeResult, what: string): string {
    assert.strictEqual(r.diagnostics.length, 1, `${what}: ${JSON.stringify(r.diagnostics)}`);
    const d = r.diagnostics[0];
    assert.strictEqual(d.policyName, VPC_ENDPOINTS, what);
    assert.strictEqual(d.level, "advisory", what);
    assert.strictEqual(d.urn, urnOf("aws-native:sagemaker:InferenceComponent", "ic"), what);
    assert.notStrictEqual(diagnosticKind(d.message), "violation", `${what}: ${d.message}`);
    assert.ok(!d.message.includes(ENDPOINT_NAME) && !d.message.includes(CONFIG_NAME), `${what}: ${d.message}`);
    assert.deepStrictEqual(r.notApplicable, [], what);
    return d.message;
}

/** Nothing to say: the stack policy answers as for a stack without the component. */
function noNote(r: AnalyzeResult, what: string): void {
    assert.deepStrictEqual(r.diagnostics, [], what);
    assert.deepStrictEqual(r.notApplicable.map(n => n.policyName), [VPC_ENDPOINTS], what);
}

const run = (resources: StackResource[], config?: Record<string, unknown>) => analyzeStackResult(vpcEndpointsPolicy, resources, config);

describe("inference components and the endpoint configuration they run on", () => {
    it("no note when the component, its endpoint and its configuration are declared; a note when the configuration is not", async () => {
        for (const [provider, ep, cfg] of [["aws-native", nativeEndpoint(), nativeConfig], ["@pulumi/aws", classicEndpoint, classicConfig]] as const) {
            noNote(await run([component(), ep, cfg, bucket]), `${provider}: declared`);
            const m = oneNote(await run([component(), ep, bucket]), `${provider}: configuration not declared`);
            assert.ok(m.startsWith("Cannot check: ic: endpointName names endpoint ep, whose endpointConfigName names an endpoint configuration " +
                "this stack does not declare, so the inference component's network isolation, set on that endpoint configuration " +
                `(enableNetworkIsolation), was not judged by ${MODEL}.`), m);
            assert.ok(m.includes("Declare the endpoint configuration in this stack") && m.includes("describe-endpoint-config") &&
                m.includes(`"exemptions": [{ "resource": "ic"`) && m.includes(VPC_ENDPOINTS), m);
        }
    });

    it("a note for a component on an endpoint of another stack (a name, or a stack reference's output), a secret name included", async () => {
        const outside = "Cannot check: ic: endpointName names an endpoint, and so an endpoint configuration, this stack does not declare, " +
            `so the inference component's network isolation, set on that endpoint configuration (enableNetworkIsolation), was not judged by ${MODEL}.`;
        for (const [what, stack] of [
            ["a name", [component(), bucket]],
            // Its ARN not known yet (a new endpoint during preview) does not make its name unknown.
            ["a name, with this stack's own endpoint elsewhere", [component({ endpointName: "x" }), nativeEndpoint({ endpointArn: UNKNOWN_SENTINEL }), nativeConfig]],
            ["a secret name", [component({ endpointName: secret(ENDPOINT_NAME) })]],
            ["a stack reference's output not known yet", [component({ endpointName: UNKNOWN_SENTINEL }, { endpointName: ["shared"] }),
                { type: "pulumi:pulumi:StackReference", name: "shared", props: { name: "org/serving/prod" } }]],
        ] as [string, StackResource[]][]) {
            const m = oneNote(await run(stack), what);
            assert.ok(m.startsWith(outside), `${what}: ${m}`);
        }
    });

    it("an endpointName not known yet that depends on a declared endpoint is followed to it (then its configuration's)", async () => {
        const ep = nativeEndpoint({ endpointName: UNKNOWN_SENTINEL, endpointConfigName: UNKNOWN_SENTINEL }, { endpointConfigName: ["cfg"] });
        const ic = component({ endpointName: UNKNOWN_SENTINEL }, { endpointName: ["ep"] });
        noNote(await run([ic, ep, { ...nativeConfig, props: { ...nativeConfig.props, endpointConfigName: UNKNOWN_SENTINEL } }]), "declared chain");
        noNote(await run([ic, { ...classicEndpoint, props: { name: UNKNOWN_SENTINEL, endpointConfigName: UNKNOWN_SENTINEL }, propertyDependencies: { endpointConfigName: ["cfg"] } },
            { ...classicConfig, props: { ...classicConfig.props, name: UNKNOWN_SENTINEL } }]), "@pulumi/aws declared chain");
        // The same chain to a configuration of another stack (a name known at preview): noted.
        const m = oneNote(await run([ic, nativeEndpoint({ endpointName: UNKNOWN_SENTINEL }), bucket]), "configuration of another stack");
        assert.ok(m.startsWith("Cannot check: ic: endpointName names endpoint ep, whose endpointConfigName names an endpoint configuration"), m);
        // By its ARN when its name leads nowhere the stack declares.
        noNote(await run([component({ endpointName: UNKNOWN_SENTINEL, endpointArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/x" }),
            nativeEndpoint({ endpointArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/x" }), nativeConfig]), "by ARN");
    });

    it("a value not known yet without a dependency is a preview note that it is not known yet, not that it is missing", async () => {
        const m = oneNote(await run([component({ endpointName: UNKNOWN_SENTINEL }), nativeEndpoint(), nativeConfig]), "endpointName");
        assert.ok(m.startsWith("Cannot check during preview: ic: endpointName is not known yet, so which endpoint configuration the inference " +
            `component runs on (its network isolation, enableNetworkIsolation, which ${MODEL} judges there) cannot be checked.`), m);
        assert.strictEqual(diagnosticKind(m), "preview-note");
        const h = oneNote(await run([component(), nativeEndpoint({ endpointConfigName: UNKNOWN_SENTINEL }), nativeConfig]), "endpointConfigName");
        assert.ok(h.startsWith("Cannot check during preview: ic: endpointName names endpoint ep, whose endpointConfigName is not known yet"), h);
        // A name that no declared endpoint has while one's name is not known yet: it may be that one.
        const u = oneNote(await run([component({ endpointName: "x" }), nativeEndpoint({ endpointName: UNKNOWN_SENTINEL }), nativeConfig]), "unnamed endpoint");
        assert.ok(u.startsWith("Cannot check during preview: ic: endpointName names no endpoint of this stack whose name is known yet, while one's name is not known yet, so which endpoint configuration"), u);
    });

    it("no note on AWS records (the check command's stacks) or for an exempted component; the note joins a stack's other findings", async () => {
        const stack = [component(), bucket];
        oneNote(await run(stack), "a program's stack");
        // Without the component, the stack policy's answer is the one it gave before components were followed.
        const plain = await run([nativeEndpoint(), bucket]);
        noNote(plain, "no component");
        assert.strictEqual(plain.notApplicable[0].reason,
            "No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC");
        const root = recordsStackRoot("123456789012-us-east-1");
        noNote(await run([...stack, { ...root, urn: root.urn }]), "AWS records");
        const exempted = await run(stack, { exemptions: [{ resource: "ic", reason: "judged in the serving stack" }] });
        assert.deepStrictEqual(exempted.diagnostics, []);
        assert.match(exempted.notApplicable[0]?.reason ?? "", /judged in the serving stack/);
        // With a VPC-attached model missing its S3 endpoint: the model's finding and the component's note.
        const vpc: StackResource[] = [
            { type: "aws:ec2/vpc:Vpc", name: "main", props: { id: "vpc-1", mainRouteTableId: "rtb-main-1", region: "us-east-1" } },
            { type: "aws:ec2/subnet:Subnet", name: "private-a", props: { id: "subnet-1", vpcId: "vpc-1" } },
            { type: "aws:sagemaker/model:Model", name: "m", props: { enableNetworkIsolation: true, primaryContainer: { image: IMAGE }, vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] } } },
        ];
        const both = await run([...vpc, component()]);
        assert.deepStrictEqual(both.diagnostics.map(d => d.urn).sort(), [urnOf("aws-native:sagemaker:InferenceComponent", "ic"), urnOf("aws:sagemaker/model:Model", "m")].sort());
        const without = await run(vpc);
        assert.deepStrictEqual(both.diagnostics.filter(d => d.urn !== urnOf("aws-native:sagemaker:InferenceComponent", "ic")), without.diagnostics);
    });
});
