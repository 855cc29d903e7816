/**
 * The SARIF report for code scanning (cli/reports/sarif.ts): valid against the SARIF 2.1.0
 * schema, results placed where the Pulumi program declares the resource (cli/inputs/source-position.ts),
 * fingerprints stable from run to run.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";
import { loadFile } from "../../cli/inputs";
import { sourcePosition } from "../../cli/inputs/source-position";
import { Evaluation, score } from "../../cli/engine/results";
import { FINGERPRINT, fingerprint, sarifLog } from "../../cli/reports/sarif";
import { marketplaceNetworkIsolation, modelNetworkIsolation, vpcEndpointsPolicy } from "../rules";
import { ROOT, run } from "./run";
import { lineOf, place, validator } from "./sarif-schema";

const EXAMPLES = ["chainer-model", "isolated-model", "marketplace-model", "training-pipeline"].map(e => `examples/${e}/stack-export.json`);
const PYTHON = "tests/fixtures/python-program";

describe("SARIF for code scanning (cli/reports/sarif.ts, cli/inputs/source-position.ts)", function () {
    this.timeout(120000);

    describe("source positions as Pulumi records them", () => {
        it("project:/// and file:/// URIs, with or without a column, whatever the program's language", () => {
            assert.deepStrictEqual(sourcePosition("project:///index.ts#12,5"), { root: "project", path: "index.ts", line: 12, column: 5 });
            assert.deepStrictEqual(sourcePosition("project:///__main__.py#19"), { root: "project", path: "__main__.py", line: 19 });
            assert.deepStrictEqual(sourcePosition("project:///cmd/infra/main.go#40,2"), { root: "project", path: "cmd/infra/main.go", line: 40, column: 2 });
            assert.deepStrictEqual(sourcePosition("project:///my%20app/index.ts#3,1"), { root: "project", path: "my app/index.ts", line: 3, column: 1 });
            assert.deepStrictEqual(sourcePosition("file:///home/ci/lib/shared.ts#7,3"), { root: "file", path: "/home/ci/lib/shared.ts", line: 7, column: 3 });
        });

        it("a malformed value is absent, never an error", () => {
            for (const v of [undefined, null, 12, {}, "", "index.ts#1,1", "project:///index.ts", "project:///index.ts#", "project:///index.ts#0,1",
                "project:///index.ts#1,", "project:///index.ts#1,0", "project:///index.ts#1,2,3", "project:///index.ts#-1", "project:///index.ts#1e3",
                "project:///index.ts# 1", "project:///#1,1", "project:///../secret.ts#1,1", "project:///a//b.ts#1", "project:///%E0%A4%A#1",
                "project:///a%0a.ts#1", "https://example.com/index.ts#1,1", "file://host/share/x.ts#1", `project:///${"a/".repeat(3000)}x.ts#1`,
                "project:///index.ts#1234567890"]) {
                assert.strictEqual(sourcePosition(v), undefined, JSON.stringify(v));
            }
        });

        it("linear on hostile values", () => {
            const start = Date.now();
            for (let i = 0; i < 200; i++) {
                for (const v of ["#".repeat(4000), `project:///${",#".repeat(2000)}1`, `project:///x#${"9".repeat(4000)}`, "project:///" + "%".repeat(4000)]) {
                    sourcePosition(v);
                }
            }
            assert.ok(Date.now() - start < 1000);
        });

        it("read from stack exports and from a preview's new state (or its old state when the new one leaves it out)", async () => {
            const [s] = await loadFile(path.join(ROOT, "examples/marketplace-model/stack-export.json"));
            assert.deepStrictEqual(s.resources.map(r => [r.name, r.source?.line]),
                [["marketplace-execution", 6], ["marketplace-sagemaker-access", 12], ["vendor-sentiment", 17], ["vendor-sentiment", 25]]);
            const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-preview-"));
            try {
                const urn = (n: string) => `urn:pulumi:dev::p::aws:s3/bucketV2:BucketV2::${n}`;
                const state = (n: string, pos?: string) => ({ urn: urn(n), type: "aws:s3/bucketV2:BucketV2", inputs: {}, ...(pos !== undefined && { sourcePosition: pos }) });
                const file = path.join(tmp, "preview.json");
                fs.writeFileSync(file, JSON.stringify({
                    steps: [
                        { op: "create", urn: urn("a"), newState: state("a", "project:///__main__.py#4") },
                        { op: "update", urn: urn("b"), oldState: state("b", "project:///__main__.py#9"), newState: state("b") },
                        { op: "same", urn: urn("c"), newState: state("c", "not a position") },
                    ],
                }));
                assert.deepStrictEqual((await loadFile(file))[0].resources.map(r => r.source?.line), [4, 9, undefined]);
            } finally {
                fs.rmSync(tmp, { recursive: true, force: true });
            }
        });
    });

    describe("the check command's SARIF (bin/cli/check.js)", () => {
        it("is valid SARIF 2.1.0 for the examples (TypeScript) and a Python program, every result placed in the program", async () => {
            const validate = validator();
            for (const [args, program] of [[EXAMPLES, "index.ts"], [[`${PYTHON}/stack-export.json`, "--source-root", PYTHON], "__main__.py"]] as const) {
                const r = await run(["--format", "sarif", ...args]);
                assert.strictEqual(r.stderr, "");
                const log = JSON.parse(r.stdout) as sarif.Log;
                assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
                const results = log.runs[0].results!;
                assert.ok(results.length > 0);
                for (const x of results) {
                    const at = place(x.locations![0].physicalLocation!, ROOT);
                    assert.strictEqual(path.basename(at.file), program, JSON.stringify(x.locations));
                    assert.ok(at.line! >= 1);
                    // The file it was read from, as a related location.
                    assert.match(place(x.relatedLocations![0].physicalLocation!, ROOT).file, /stack-export\.json$/);
                    assert.match(x.partialFingerprints![FINGERPRINT], /^[0-9a-f]{64}$/);
                }
                assert.strictEqual(new Set(results.map(x => x.partialFingerprints![FINGERPRINT])).size, results.length, "one fingerprint per result");
            }
        });

        it("a Python program's finding is on the line that declares the model", async () => {
            const r = await run(["--format", "sarif", "--source-root", PYTHON, `${PYTHON}/stack-export.json`]);
            const log = JSON.parse(r.stdout) as sarif.Log;
            const [x] = log.runs[0].results!;
            assert.strictEqual(x.ruleId, modelNetworkIsolation.name);
            const at = place(x.locations![0].physicalLocation!, ROOT);
            assert.deepStrictEqual(at, { file: path.join(ROOT, PYTHON, "__main__.py"), line: 19, column: 9 });
            assert.match(lineOf(at.file, at.line), /aws\.sagemaker\.Model\($/);
            assert.deepStrictEqual(x.locations![0].physicalLocation!.artifactLocation, { uri: "tests/fixtures/python-program/__main__.py", uriBaseId: "%SRCROOT%" });
        });

        it("with --source-root, the Marketplace finding is on the line of examples/marketplace-model/index.ts that declares the model, from any working directory", async () => {
            const fromRoot = await run(["--format", "sarif", "--source-root", "examples/marketplace-model", "examples/marketplace-model/stack-export.json"]);
            const fromExamples = await run(["--format", "sarif", "--source-root", "marketplace-model", "marketplace-model/stack-export.json"], path.join(ROOT, "examples"));
            const fingerprints: string[][] = [];
            for (const r of [fromRoot, fromExamples]) {
                assert.strictEqual(r.code, 1, r.stderr);
                const log = JSON.parse(r.stdout) as sarif.Log;
                const run0 = log.runs[0];
                // Paths from the repository's root (this work tree), declared without a path of the machine.
                assert.deepStrictEqual(Object.keys(run0.originalUriBaseIds!), ["%SRCROOT%"]);
                assert.strictEqual(run0.originalUriBaseIds!["%SRCROOT%"].uri, undefined);
                const x = run0.results!.find(y => y.ruleId === marketplaceNetworkIsolation.name)!;
                const l = x.locations![0].physicalLocation!;
                assert.deepStrictEqual(l, { artifactLocation: { uri: "examples/marketplace-model/index.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 17, startColumn: 15 } });
                const at = place(l, ROOT);
                assert.strictEqual(at.file, path.join(ROOT, "examples/marketplace-model/index.ts"));
                assert.strictEqual(lineOf(at.file, at.line!).slice(at.column! - 1), 'new aws.sagemaker.Model("vendor-sentiment", {');
                assert.deepStrictEqual(x.relatedLocations![0].physicalLocation!.artifactLocation, { uri: "examples/marketplace-model/stack-export.json", uriBaseId: "%SRCROOT%" });
                assert.deepStrictEqual(run0.artifacts!.map(a => a.location!.uri), ["examples/marketplace-model/stack-export.json", "examples/marketplace-model/index.ts"]);
                fingerprints.push(run0.results!.map(y => y.partialFingerprints![FINGERPRINT]));
            }
            assert.deepStrictEqual(fingerprints[0], fingerprints[1], "the same fingerprints from run to run, whatever the paths");
        });

        it("a resource without a source position keeps the input file as its location; the fingerprint does not depend on the location", async () => {
            const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-nopos-"));
            try {
                const doc = JSON.parse(fs.readFileSync(path.join(ROOT, EXAMPLES[2]), "utf8"));
                for (const res of doc.deployment.resources) {
                    delete res.sourcePosition;
                }
                const file = path.join(tmp, "export.json");
                fs.writeFileSync(file, JSON.stringify(doc));
                const r = await run(["--format", "sarif", file]);
                const log = JSON.parse(r.stdout) as sarif.Log;
                assert.ok(validator()(log));
                for (const x of log.runs[0].results!) {
                    // Outside the repository: its file name alone.
                    assert.deepStrictEqual(x.locations![0].physicalLocation, { artifactLocation: { uri: "export.json", uriBaseId: "OUTSIDE_REPOSITORY" } });
                    assert.strictEqual(x.relatedLocations, undefined);
                }
                // A stack policy's finding about a resource: on the resource's line.
                const config = path.join(tmp, "config.json");
                fs.writeFileSync(config, JSON.stringify({ [vpcEndpointsPolicy.name]: { requiredServices: ["s3", "sts"] } }));
                const vpc = JSON.parse((await run(["--format", "sarif", "--config", config, "--source-root", "examples/isolated-model", EXAMPLES[1]])).stdout) as sarif.Log;
                const [onModel] = vpc.runs[0].results!.filter(x => x.ruleId === vpcEndpointsPolicy.name);
                assert.deepStrictEqual(onModel.locations![0].physicalLocation!.region, { startLine: 55, startColumn: 22 });
                assert.strictEqual(onModel.partialFingerprints![FINGERPRINT],
                    fingerprint(vpcEndpointsPolicy.name, "urn:pulumi:prod::isolated-model::aws:sagemaker/model:Model::fraud-scorer", 0));
                const again = JSON.parse((await run(["--format", "sarif", "--source-root", "examples/marketplace-model", EXAMPLES[2]])).stdout) as sarif.Log;
                assert.deepStrictEqual(again.runs[0].results!.map(x => x.partialFingerprints), log.runs[0].results!.map(x => x.partialFingerprints),
                    "the fingerprint does not depend on the location");
            } finally {
                fs.rmSync(tmp, { recursive: true, force: true });
            }
        });

        it("a result about the stack itself: on the input file, fingerprinted by the stack's URN; several findings of one policy on one resource differ", async () => {
            const [input] = await loadFile(path.join(ROOT, EXAMPLES[2]));
            const stackUrn = "urn:pulumi:dev::marketplace-model::pulumi:pulumi:Stack::marketplace-model-dev";
            const model = input.resources.find(r => r.type === "aws:sagemaker/model:Model")!;
            const finding = (urn: string, name: string, type: string, message: string) =>
                ({ policyName: vpcEndpointsPolicy.name, level: "advisory" as const, message, urn, resourceName: name, resourceType: type });
            const e = {
                info: { name: "p", version: "1", supportsConfig: true, policies: [] }, config: {},
                stacks: [{
                    input, results: [], remediated: [], scores: { policies: score(0, 0), resources: score(0, 0) },
                    findings: [finding(stackUrn, "", "pulumi:pulumi:Stack", "about the stack"),
                        finding(model.urn, model.name, model.type, "first"), finding(model.urn, model.name, model.type, "second")],
                }],
            } as unknown as Evaluation;
            const log = sarifLog(e, { sourceRoot: path.join(ROOT, "examples/marketplace-model") });
            assert.ok(validator()(log), "valid");
            const [onStack, first, second] = log.runs[0].results!;
            assert.deepStrictEqual(onStack.locations![0].physicalLocation, { artifactLocation: { uri: "examples/marketplace-model/stack-export.json", uriBaseId: "%SRCROOT%" } });
            assert.strictEqual(onStack.locations![0].logicalLocations![0].name, "marketplace-model-dev");
            assert.deepStrictEqual([onStack, first, second].map(x => x.partialFingerprints![FINGERPRINT]),
                [fingerprint(vpcEndpointsPolicy.name, stackUrn, 0), fingerprint(vpcEndpointsPolicy.name, model.urn, 0), fingerprint(vpcEndpointsPolicy.name, model.urn, 1)]);
            // Read from standard input: no file, so "stdin" outside the repository.
            const piped = { ...e, stacks: [{ ...e.stacks[0], input: { ...input, file: "-" } }] };
            const fromStdin = sarifLog(piped, { sourceRoot: path.join(ROOT, "examples/marketplace-model") });
            assert.ok(validator()(fromStdin), "valid");
            assert.deepStrictEqual(fromStdin.runs[0].results![0].locations![0].physicalLocation, { artifactLocation: { uri: "stdin", uriBaseId: "OUTSIDE_REPOSITORY" } });
        });

        it("--source-root must be a folder (exit 2)", async () => {
            const r = await run(["--format", "sarif", "--source-root", "examples/nowhere", EXAMPLES[0]]);
            assert.strictEqual(r.code, 2);
            assert.match(r.stderr, /--source-root examples\/nowhere: not a folder/);
        });
    });
});
