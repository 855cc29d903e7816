/**
 * The check command's inputs (cli/inputs): secrets, names from the input, states read with
 * .get(), previews, and what a stack export is read into.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type * as sarif from "sarif";
import { proto } from "../../cli/engine/client";
import { loadFile } from "../../cli/inputs";
import { engineValue, parseUrn } from "../../cli/inputs/engine-value";
import { StackResource, UsageError } from "../../cli/inputs/types";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../policies/values/sentinels";
import { MARKETPLACE, MODEL, VPC_ENDPOINTS } from "../rules";
import { ROOT, run } from "./run";
import { exportOf, tempFolder } from "./check-common";
import { expectAuditRow, JsonFinding } from "./check-results";

/** The outputs a resource is sent to AnalyzeStack with, read back with the protocol stubs. */
function outputsOf(r: StackResource): Record<string, unknown> {
    return proto.AnalyzerResource.deserializeBinary(r.stackEntry).getProperties()!.toJavaScript();
}

describe("check command: inputs (cli/inputs)", function () {
    this.timeout(120000);
    const { dir, write: writeTmp } = tempFolder();

    describe("secret values", () => {
        it("never appear whole in any format: only an image's repository and an ARN's account", async () => {
            const secret = (v: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(v) });
            const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team-secret-repo:build-4f2a9c";
            const arn = "arn:aws:sagemaker:us-east-1:865070037744:model-package/hidden-listing-7b3e/2";
            const name = "private-package-name-9c1d";
            const model = (n: string, inputs: Record<string, unknown>) =>
                ({ urn: `urn:pulumi:dev::secrets::aws:sagemaker/model:Model::${n}`, type: "aws:sagemaker/model:Model", custom: true, inputs, outputs: {} });
            const m1 = { containers: [{ image: secret(image) }, { modelPackageName: secret(arn) }, { modelPackageName: secret(name) }] };
            const f = writeTmp("secrets.json", {
                version: 3, deployment: {
                    resources: [
                        model("m1", m1),
                        model("m2", { primaryContainer: secret({ image }) }),
                    ],
                },
            });
            const outputs: Record<string, string> = {};
            for (const format of ["text", "json", "sarif", "markdown"]) {
                const r = await run(["--format", format, f]);
                assert.strictEqual(r.code, 1, `${format}: ${r.stderr}`);
                outputs[format] = r.stdout;
                for (const whole of [image, arn, name, "build-4f2a9c", "hidden-listing-7b3e", "123456789012"]) {
                    assert.ok(!r.stdout.includes(whole), `${format} shows ${whole}`);
                }
            }
            expectAuditRow(outputs.markdown, "m1", { type: "aws:sagemaker/model:Model", props: m1 }, { [MODEL]: "**failed**" });
            // A file outside the repository: its name alone in SARIF, no path of the machine.
            const log = JSON.parse(outputs.sarif) as sarif.Log;
            const outside = { uri: "secrets.json", uriBaseId: "OUTSIDE_REPOSITORY" };
            assert.deepStrictEqual(log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation, outside);
            assert.deepStrictEqual(log.runs[0].artifacts!.map(a => a.location), [outside]);
            assert.ok(!outputs.sarif.includes(dir()), "no path of the machine");
        });
    });

    describe("names from the input are escaped, duplicates are warned about", () => {
        it("control characters in names never reach the terminal; a URN listed twice is evaluated once", async () => {
            const type = "aws:sagemaker/model:Model";
            const name = "evil\u001b[2J\u001b]0;owned\u0007\rmodel";
            const m = { urn: `urn:pulumi:dev::esc::${type}::${name}`, type, custom: true, inputs: { enableNetworkIsolation: false }, outputs: {} };
            const f = writeTmp("escapes.json", { deployment: { resources: [m, m] } });
            // eslint-disable-next-line no-control-regex -- looking for control characters is the point
            const control = /[\x00-\x09\x0b-\x1f\x7f]/;
            for (const format of ["text", "markdown"]) {
                const r = await run(["--format", format, f]);
                assert.strictEqual(r.code, 0, r.stderr);
                assert.ok(!control.test(r.stdout), `${format}: a control character reached the output`);
                assert.ok(r.stdout.includes("evil\\x1b[2J\\x1b]0;owned\\x07\\rmodel"), r.stdout);
                assert.match(r.stderr, /warning: .*escapes\.json: 1 URN\(s\) listed more than once .*only the first of each is evaluated\n$/);
                assert.ok(!control.test(r.stderr), "stderr");
            }
            const j = JSON.parse((await run(["--format", "json", f])).stdout);
            assert.strictEqual(j.stacks[0].resources, 1);
            assert.strictEqual(j.stacks[0].findings.filter((x: JsonFinding) => x.policyName === MODEL).length, 1);
        });
    });

    describe("a state, as pulumi policy analyze and audit policy groups evaluate it", () => {
        it("reads (.get()) are not analyzed by resource policies but the stack policy sees them; encrypted values are 'Cannot check'", async () => {
            const r = (type: string, name: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
                ({ urn: `urn:pulumi:prod::audit::${type}::${name}`, type, custom: true, id: props["id"], inputs: props, outputs: props, ...extra });
            const f = writeTmp("state.json", {
                version: 3, deployment: {
                    resources: [
                        r("aws:ec2/vpc:Vpc", "shared", { id: "vpc-1" }, { external: true }),
                        r("aws:ec2/subnet:Subnet", "shared-a", { id: "subnet-1", vpcId: "vpc-1" }, { external: true }),
                        r("aws:sagemaker/model:Model", "read-model", { id: "read-model", enableNetworkIsolation: false, vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] } }, { external: true }),
                        r("aws:sagemaker/model:Model", "sealed", { id: "sealed", enableNetworkIsolation: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "v1:AAAA" } }),
                    ],
                },
            });
            const j = await run(["--format", "json", f]);
            assert.strictEqual(j.code, 0, j.stderr);
            const doc = JSON.parse(j.stdout);
            const s = doc.stacks[0];
            // The read model has no resource-policy result; the stack policy judged its VPC.
            assert.deepStrictEqual(s.results.filter((x: { resourceName: string }) => x.resourceName === "read-model"), []);
            const findings = (s.findings as JsonFinding[]).filter(x => [MODEL, VPC_ENDPOINTS].includes(x.policyName));
            assert.deepStrictEqual(findings.map(x => [x.policyName, x.resourceName]), [[MODEL, "sealed"], [VPC_ENDPOINTS, "read-model"]]);
            assert.strictEqual(findings[0].message,
                "Cannot check: sealed: enableNetworkIsolation is a secret that could not be decrypted, so network isolation of the model cannot be checked.");
            assert.ok(!j.stdout.includes("during preview"));
            const t = await run([f]);
            assert.match(t.stdout, /\n {2}Read with \.get\(\), so not analyzed by the resource policies \(the stack policy sees them\): 2 other resources: shared \(aws:ec2\/vpc:Vpc\), shared-a \(aws:ec2\/subnet:Subnet\)\n/);
        });
    });

    describe("pulumi preview --json input", () => {
        it("is detected; steps that delete are skipped; exit 1 for a mandatory violation", async () => {
            const doc = JSON.parse(fs.readFileSync(path.join(ROOT, exportOf("marketplace-model")), "utf8"));
            const resources = doc.deployment.resources as Record<string, unknown>[];
            const steps: { op: string; urn: unknown; newState: Record<string, unknown> }[] =
                resources.map(r => ({ op: "create", urn: r.urn, newState: { ...r, outputs: {} } }));
            // A model being deleted: not part of the stack any more, so not reported.
            const gone = "urn:pulumi:dev::marketplace-model::aws:sagemaker/model:Model::old-model";
            steps.push({
                op: "delete", urn: gone, newState: {
                    urn: gone, type: "aws:sagemaker/model:Model", custom: true,
                    inputs: { primaryContainer: { modelPackageName: "arn:aws:sagemaker:us-east-1:865070037744:model-package/x" } },
                    outputs: {},
                },
            });
            const f = writeTmp("preview.json", { steps, changeSummary: { create: resources.length }, duration: 1 });
            const r = await run(["--format", "json", f]);
            assert.strictEqual(r.code, 1, r.stderr);
            const out = JSON.parse(r.stdout);
            assert.strictEqual(out.stacks.length, 1);
            assert.strictEqual(out.stacks[0].source, "preview");
            assert.strictEqual(out.stacks[0].stack, "dev");
            const findings = out.stacks[0].findings as JsonFinding[];
            assert.ok(![...findings, ...out.stacks[0].results as JsonFinding[]].some(x => x.resourceName === "old-model"), "the deleted model is not judged");
            assert.deepStrictEqual(findings.filter(x => [MODEL, MARKETPLACE].includes(x.policyName)).map(x => [x.policyName, x.level]).sort(),
                [[MARKETPLACE, "mandatory"], [MODEL, "advisory"]]);
            // Only created resources, no unchanged ones: the stack policy would see part of the stack.
            assert.match(r.stderr, /warning: .*preview\.json: the preview lists only the resources it changes; run `pulumi preview --json --show-sames`/);
        });

        it("does not warn about a partial stack when unchanged resources are listed (--show-sames)", async () => {
            const doc = JSON.parse(fs.readFileSync(path.join(ROOT, exportOf("marketplace-model")), "utf8"));
            const steps = (doc.deployment.resources as Record<string, unknown>[]).map(r => ({ op: "same", urn: r.urn, newState: r }));
            const [stack] = await loadFile(writeTmp("preview-sames.json", { steps }));
            assert.strictEqual(stack.partial, false);
            // A first preview of a new stack creates everything: nothing is left out, no warning.
            const creates = steps.map(x => ({ ...x, op: "create" }));
            const [fresh] = await loadFile(writeTmp("preview-creates.json", { steps: creates }));
            assert.strictEqual(fresh.partial, false);
            // An existing stack's preview without --show-sames: changes only.
            const [partial] = await loadFile(writeTmp("preview-updates.json", { steps: [{ ...creates[0], op: "update" }, ...creates.slice(1)] }));
            assert.strictEqual(partial.partial, true);
        });
    });

    describe("reading inputs", () => {
        it("URNs: stack, project and logical name", () => {
            assert.deepStrictEqual(parseUrn("urn:pulumi:prod::ml::aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::private-a"),
                { stack: "prod", project: "ml", name: "private-a" });
            assert.strictEqual(parseUrn("arn:aws:s3:::bucket"), undefined);
        });

        it("secrets become the engine's envelopes; internal keys are dropped at the top level", () => {
            const [SIG, SECRET] = [SECRET_SIG_KEY, SECRET_SIG];
            assert.deepStrictEqual(engineValue({ a: { [SIG]: SECRET, plaintext: "true" }, b: { [SIG]: SECRET, ciphertext: "AAAB..." }, __defaults: [], c: [{ __defaults: ["x"], d: 1 }] }),
                { a: { [SIG]: SECRET, value: true }, b: { [SIG]: SECRET, value: "[secret]" }, c: [{ __defaults: ["x"], d: 1 }] });
        });

        it("stack exports: providers and the stack skipped, ids of aws resources in the outputs", async () => {
            const stacks = await loadFile(path.join(ROOT, exportOf("isolated-model")));
            assert.strictEqual(stacks.length, 1);
            const s = stacks[0];
            assert.deepStrictEqual([s.stack, s.project, s.source], ["prod", "isolated-model", "export"]);
            assert.ok(s.resources.every(r => !r.type.startsWith("pulumi:")));
            const subnet = s.resources.find(r => r.name === "private-a" && r.type === "aws:ec2/subnet:Subnet")!;
            assert.strictEqual(outputsOf(subnet)["id"], "subnet-0b4e6a8c0d2f41357");
            assert.ok(!("__defaults" in subnet.inputs));
            const model = s.resources.find(r => r.type === "aws:sagemaker/model:Model")!;
            assert.strictEqual(model.propertyDependencies["vpcConfig"].length, 3);
            // Without the id in the outputs, the export's id is used.
            const f = writeTmp("no-id.json", { deployment: { resources: [{ urn: subnet.urn, type: subnet.type, id: "subnet-1", inputs: {}, outputs: {} }] } });
            assert.strictEqual(outputsOf((await loadFile(f))[0].resources[0])["id"], "subnet-1");
        });

        it("throws a UsageError naming the file", async () => {
            await assert.rejects(() => loadFile(path.join(dir(), "missing.json")), (e: Error) => e instanceof UsageError && e.message.endsWith("missing.json: no such file"));
        });
    });
});
