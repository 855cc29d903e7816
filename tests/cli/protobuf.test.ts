/**
 * The check command's protobuf encoder (cli/protocol/protobuf.ts) against the generated stubs of
 * @pulumi/pulumi: what it writes, the stubs read back as the same values and fields.
 */
import * as assert from "assert";
import { createRequire } from "module";
import fc from "fast-check";
import { encodeAnalyzeRequest, encodeAnalyzerResource, encodeAnalyzeStackRequest, encodeStruct } from "../../cli/protocol/protobuf";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const proto = pulumiRequire("./proto/analyzer_pb");
const structpb = pulumiRequire("google-protobuf/google/protobuf/struct_pb");

describe("protobuf encoder (cli/protocol/protobuf.ts)", () => {
    it("Struct: any JSON object decodes, with the stubs, to what the stubs' own encoding gives", () => {
        // (A key "__proto__" is left out: the stubs' toJavaScript cannot give it back.)
        fc.assert(fc.property(fc.dictionary(fc.string().filter(k => k !== "__proto__"), fc.jsonValue()), props => {
            const decoded = structpb.Struct.deserializeBinary(encodeStruct(props)).toJavaScript();
            assert.deepStrictEqual(decoded, structpb.Struct.deserializeBinary(structpb.Struct.fromJavaScript(props).serializeBinary()).toJavaScript());
        }), { numRuns: 300 });
    });

    it("Struct: the same bytes as the stubs for a typical resource", () => {
        const props = {
            enableNetworkIsolation: true, executionRoleArn: "arn:aws:iam::123456789012:role/r", n: 3.5, none: null, neg: -1,
            primaryContainer: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1", environment: { "ÄÖ ✓": "s3://b/k" } },
            vpcConfig: { subnets: ["subnet-1", "subnet-2"], securityGroupIds: [] },
        };
        const stubs = Buffer.from(structpb.Struct.fromJavaScript(props).serializeBinary());
        const ours = encodeStruct(props);
        assert.strictEqual(ours.length, stubs.length);
        assert.deepStrictEqual(structpb.Struct.deserializeBinary(ours).toJavaScript(), structpb.Struct.deserializeBinary(stubs).toJavaScript());
    });

    it("Struct: 5,000 levels of nesting without recursion", () => {
        let deep: Record<string, unknown> = { leaf: true };
        for (let i = 0; i < 5000; i++) {
            deep = { [i % 2 ? "a" : "b"]: i % 3 ? deep : [deep] };
        }
        const bytes = encodeStruct(deep);
        assert.ok(bytes.length > 5000 * 4);
    });

    it("AnalyzeRequest, AnalyzerResource and AnalyzeStackRequest carry every field the engine sets", () => {
        const r = {
            type: "aws:sagemaker/model:Model", name: "m", urn: "urn:pulumi:dev::p::aws:sagemaker/model:Model::m",
            props: { enableNetworkIsolation: false }, parent: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
            dependencies: ["urn:a", "urn:b"], propertyDependencies: { vpcConfig: ["urn:a"], executionRoleArn: [] },
        };
        const req = proto.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r));
        assert.deepStrictEqual([req.getType(), req.getName(), req.getUrn(), req.getProperties().toJavaScript(), req.getOptions().getProtect()],
            [r.type, r.name, r.urn, r.props, false]);
        const stack = proto.AnalyzeStackRequest.deserializeBinary(encodeAnalyzeStackRequest([encodeAnalyzerResource(r), encodeAnalyzerResource({ ...r, name: "n", parent: undefined })]));
        const [a, b] = stack.getResourcesList();
        assert.deepStrictEqual([a.getType(), a.getName(), a.getUrn(), a.getParent(), a.getDependenciesList(), a.getProperties().toJavaScript()],
            [r.type, r.name, r.urn, r.parent, r.dependencies, r.props]);
        const deps: Record<string, string[]> = {};
        a.getPropertydependenciesMap().forEach((v: { getUrnsList(): string[] }, k: string) => { deps[k] = v.getUrnsList(); });
        assert.deepStrictEqual(deps, r.propertyDependencies);
        assert.strictEqual(b.getName(), "n");
        assert.strictEqual(b.getParent(), "");
    });
});
