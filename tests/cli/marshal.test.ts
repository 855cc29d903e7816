/**
 * Property values as the engine marshals them for an analyzer (cli/inputs/engine-value.ts,
 * after pulumi's rpc.go MarshalPropertyValue with KeepUnknowns, KeepSecrets and
 * SkipInternalKeys, without KeepResources): every kind a state can hold, one by one, and a stack
 * export holding them run through the command.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { createRequire } from "module";
import { reasonOf } from "../../cli/engine/evaluate";
import { engineValue, LeftOut, SIGNATURES, ValueError } from "../../cli/inputs/engine-value";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import { run } from "./run";
import { tempFolder } from "../temp";

const SIG = SECRET_SIG_KEY;
const EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const urnOf = (type: string, name: string) => `urn:pulumi:prod::ml::${type}::${name}`;
const ref = (urn: string, id?: unknown) => ({ [SIG]: SIGNATURES.resource, urn, ...(id !== undefined && { id }), packageVersion: "" });
const asset = (fields: Record<string, unknown>) => ({ [SIG]: SIGNATURES.asset, ...fields });
const archive = (fields: Record<string, unknown>) => ({ [SIG]: SIGNATURES.archive, ...fields });
const output = (fields: Record<string, unknown>) => ({ [SIG]: SIGNATURES.output, ...fields });
const VPC_URN = urnOf("awsx:ec2:Vpc$aws:ec2/vpc:Vpc", "main");

describe("engine values (cli/inputs/engine-value.ts)", () => {
    it("signatures are @pulumi/pulumi's", () => {
        const rpc = createRequire(require.resolve("@pulumi/pulumi/package.json"))("./runtime/rpc") as Record<string, string>;
        assert.deepStrictEqual([SIGNATURES.asset, SIGNATURES.archive, SIGNATURES.resource, SIGNATURES.output],
            [rpc.specialAssetSig, rpc.specialArchiveSig, rpc.specialResourceSig, rpc.specialOutputValueSig]);
    });

    it("resource references: the id; the URN without one (a component); unknown for an empty id", () => {
        assert.deepStrictEqual(engineValue({ a: ref(VPC_URN, "vpc-1"), b: ref(urnOf("awsx:ec2:Vpc", "main")), c: ref(VPC_URN, "") }),
            { a: "vpc-1", b: urnOf("awsx:ec2:Vpc", "main"), c: UNKNOWN_SENTINEL });
        // Ids some versions wrote as `{V: id}`: a string, none (a component), unknown.
        assert.deepStrictEqual(engineValue({ a: [ref(VPC_URN, { V: "vpc-1" }), ref(VPC_URN, { V: null }), ref(VPC_URN, { V: {} })] }),
            { a: ["vpc-1", VPC_URN, UNKNOWN_SENTINEL] });
        assert.throws(() => engineValue({ a: ref(VPC_URN, 5) }), (e: Error) => e instanceof ValueError && /property "a": .*id is not a string/.test(e.message));
    });

    it("assets: only their non-empty fields; one with no content is left out and named", () => {
        const leftOut: LeftOut = { contentless: new Set() };
        const value = engineValue({
            file: asset({ hash: "h1", path: "./a.txt", text: "" }),
            empty: asset({ hash: EMPTY_HASH, text: "" }),
            list: [asset({ text: "x" }), asset({ hash: EMPTY_HASH }), 1],
        }, leftOut);
        assert.deepStrictEqual(value, { file: asset({ hash: "h1", path: "./a.txt" }), list: [asset({ text: "x" }), 1] });
        assert.deepStrictEqual([...leftOut.contentless], ["empty", "list"]);
    });

    it("archives: their path, else their uri, else their assets (an empty StringAsset left out)", () => {
        const leftOut: LeftOut = { contentless: new Set() };
        const code = archive({
            hash: "h", assets: {
                "index.js": asset({ hash: EMPTY_HASH, text: "" }),
                "main.js": asset({ text: "exports.handler = 1" }),
                lib: archive({ path: "./lib", assets: {} }),
            },
        });
        assert.deepStrictEqual(engineValue({ code, remote: archive({ uri: "https://x/y.zip", path: "" }), none: archive({}) }, leftOut), {
            code: archive({ hash: "h", assets: { "main.js": asset({ text: "exports.handler = 1" }), lib: archive({ path: "./lib" }) } }),
            remote: archive({ uri: "https://x/y.zip" }),
            none: archive({ assets: {} }),
        });
        assert.deepStrictEqual([...leftOut.contentless], ["code"]);
        assert.throws(() => engineValue({ code: archive({ assets: { a: "text" } }) }), /property "code": an archive member that is not an asset or archive/);
    });

    it("output values: known → the value, unknown → the unknown value, secret → a secret; dependencies dropped", () => {
        assert.deepStrictEqual(engineValue({
            known: output({ value: { id: ref(VPC_URN, "vpc-1") }, dependencies: [VPC_URN] }),
            unknown: output({ dependencies: [VPC_URN] }),
            secret: output({ value: "s", secret: true }),
            secretUnknown: output({ secret: true }),
        }), {
            known: { id: "vpc-1" },
            unknown: UNKNOWN_SENTINEL,
            secret: { [SIG]: SECRET_SIG, value: "s" },
            secretUnknown: { [SIG]: SECRET_SIG, value: UNKNOWN_SENTINEL },
        });
    });

    it("secrets, byte strings and floats stored by their bits", () => {
        assert.deepStrictEqual(engineValue({
            plain: { [SIG]: SECRET_SIG, plaintext: JSON.stringify({ r: ref(VPC_URN, "vpc-1") }) },
            sealed: { [SIG]: SECRET_SIG, ciphertext: "v1:AAAA" },
            bytes: { [SIG]: SIGNATURES.byteString, value: Buffer.from("héllo").toString("base64") },
            inf: { [SIG]: SIGNATURES.float, value: "7ff0000000000000" },
        }), { plain: { [SIG]: SECRET_SIG, value: { r: "vpc-1" } }, sealed: { [SIG]: SECRET_SIG, value: "[secret]" }, bytes: "héllo", inf: Infinity });
        assert.ok(Number.isNaN((engineValue({ x: { [SIG]: SIGNATURES.float, value: "7ff8000000000000" } }) as { x: number }).x));
        assert.throws(() => engineValue({ b: { [SIG]: SIGNATURES.byteString, value: Buffer.from([0xff, 0xfe]).toString("base64") } }), /property "b": .*not UTF-8/);
    });

    it("internal keys are skipped at the top level only, as SkipInternalKeys does", () => {
        assert.deepStrictEqual(engineValue({ __defaults: [], tags: { __defaults: ["a"], b: 1 } }), { tags: { __defaults: ["a"], b: 1 } });
    });

    it("an unrecognized signature is refused, as the engine refuses a state holding one; the value is not named", () => {
        assert.throws(() => engineValue({ p: [{ [SIG]: "private-value-123" }] }),
            (e: Error) => e instanceof ValueError && /^property "p": an object with an unrecognized signature/.test(e.message) && !e.message.includes("private-value-123"));
    });
});

describe("the pack's reason for a failed call (cli/engine/evaluate.ts)", () => {
    it("keeps the SDK's reason on one line, without stack frames, bounded", () => {
        const e = new Error("2 UNKNOWN: Error validating resource with policy 'p':\nError: Unrecognized signature 'x' when unmarshaling resource property\n    at deserializeProperty (/a/b.js:1:2)\n    at f (/a/c.js:3:4)");
        assert.strictEqual(reasonOf(e), "2 UNKNOWN: Error validating resource with policy 'p': Error: Unrecognized signature 'x' when unmarshaling resource property");
        assert.ok(reasonOf(new Error("x".repeat(5000))).length <= 601);
    });
});

describe("check command: a stack export holding every kind of value", function () {
    this.timeout(120000);
    const { dir } = tempFolder("isolation-marshal-");

    const resource = (type: string, name: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        ({ urn: urnOf(type, name), type, custom: true, id: props["id"], inputs: props, outputs: props, ...extra });
    const write = (name: string, resources: unknown[]) => {
        const file = path.join(dir(), name);
        fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources } }));
        return file;
    };
    const STACK = [
        // An awsx component: its outputs hold resource references, with and without id, and an output value.
        {
            urn: urnOf("awsx:ec2:Vpc", "main"), type: "awsx:ec2:Vpc", custom: false, outputs: {
                vpc: ref(VPC_URN, "vpc-1"), subnets: [ref(urnOf("awsx:ec2:Vpc$aws:ec2/subnet:Subnet", "main-a"), "subnet-1")],
                self: ref(urnOf("awsx:ec2:Vpc", "main")), pending: ref(VPC_URN, ""),
                vpcId: output({ value: "vpc-1", dependencies: [VPC_URN] }),
            },
        },
        resource("aws:ec2/vpc:Vpc", "main", { id: "vpc-1" }, { parent: urnOf("awsx:ec2:Vpc", "main") }),
        resource("aws:ec2/subnet:Subnet", "main-a", { id: "subnet-1", vpcId: "vpc-1" }),
        // A Lambda whose code is an AssetArchive with an empty StringAsset and a FileArchive.
        resource("aws:lambda/function:Function", "handler", {
            id: "handler", code: archive({ assets: { "index.js": asset({ hash: EMPTY_HASH, text: "" }), lib: archive({ hash: "h", path: "./lib" }) } }),
        }),
        resource("aws:sagemaker/model:Model", "model", { id: "model", enableNetworkIsolation: true, vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] } }),
    ];

    it("no exit 2: the resource and stack policies see every resource; the left-out empty asset is warned about", async () => {
        const f = write("kinds.json", STACK);
        const r = await run(["--format", "json", f]);
        assert.strictEqual(r.code, 0, r.stderr);
        const s = JSON.parse(r.stdout).stacks[0];
        assert.strictEqual(s.resources, 5);
        // The stack policy judged the model's subnets: no VPC endpoints in that VPC.
        assert.deepStrictEqual(s.findings.map((x: { policyName: string; resourceName: string }) => [x.policyName, x.resourceName]),
            [["sagemaker-vpc-endpoints", "model"]]);
        assert.match(r.stderr, /warning: .*kinds\.json: 1 resource\(s\) hold an asset with no text, path or uri \(an empty StringAsset\), e\.g\. handler \(aws:lambda\/function:Function\), "code": left out/);
    });

    it("an unrecognized signature: exit 2 naming the file, resource and property, not the value", async () => {
        const f = write("unknown-sig.json", [...STACK, resource("aws:s3/bucket:Bucket", "b", { id: "b", policy: { [SIG]: "private-value-123" } })]);
        const r = await run([f]);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, /unknown-sig\.json: deployment\.resources\[5\] \(aws:s3\/bucket:Bucket\): inputs: property "policy": an object with an unrecognized signature/);
        assert.ok(!r.stderr.includes("private-value-123"));
    });
});
