/**
 * The check command (cli/check.ts), run as users run it (node bin/cli/check.js; `npm test`
 * builds bin/ first): usage and input errors (exit 2, before the pack is started), --help,
 * --version, and --output never written over a file read.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { INPUT_KINDS } from "../../cli/inputs";
import { FORMAT_HELP, FORMATS } from "../../cli/reports";
import { ROOT, run } from "./run";
import { assertUsageError, exportOf, tempFolder } from "./check-common";

describe("check command: usage (cli/check.ts)", function () {
    this.timeout(120000);
    const { dir, write: writeTmp } = tempFolder();

    describe("usage and input errors (exit 2, before the pack is started)", () => {
        it("a missing file", async () => {
            assertUsageError(await run(["examples/nope/stack-export.json"]), "examples/nope/stack-export.json", /no such file/);
        });

        it("a file that is not JSON", async () => {
            const f = writeTmp("not-json.json", "urn:pulumi:dev::p::aws:s3/bucketV2:BucketV2::b\n{");
            assertUsageError(await run([f]), f, /not valid JSON/);
        });

        it("JSON that is neither a stack export nor a preview", async () => {
            const f = writeTmp("other.json", { version: 3, checkpoint: {} });
            assertUsageError(await run([f]), f, /not a `pulumi stack export`.*or `pulumi preview --json`/);
            const g = writeTmp("array.json", [1, 2]);
            assertUsageError(await run([g]), g, /not a `pulumi stack export`/);
        });

        it("a stack export whose deployment or resources have the wrong type", async () => {
            const f = writeTmp("bad-deployment.json", { version: 3, deployment: 5 });
            assertUsageError(await run([f]), f, /not a `pulumi stack export`/);
            const g = writeTmp("bad-resources.json", { version: 3, deployment: { resources: { a: 1 } } });
            assertUsageError(await run([g]), g, /deployment\.resources is not a list$/);
        });

        it("a stack export with a malformed resource", async () => {
            const f = writeTmp("bad-resource.json", { version: 3, deployment: { resources: [{ type: "aws:s3/bucketV2:BucketV2" }] } });
            assertUsageError(await run([f]), f, /deployment\.resources\[0\] has no urn or type/);
        });

        it("bad arguments: no file, unknown format, unknown option, missing config file", async () => {
            assertUsageError(await run([]), "no input file", /see --help/);
            assertUsageError(await run(["--format", "html", exportOf("isolated-model")]), "--format", /text, json, sarif, markdown/);
            assertUsageError(await run(["--frobnicate", exportOf("isolated-model")]), "--frobnicate", /Unknown option/);
            assertUsageError(await run(["--config", "nope.json", exportOf("isolated-model")]), "nope.json", /no such file/);
        });

        it("--output never overwrites an input file or the configuration, whatever the path says", async () => {
            const input = writeTmp("keep.json", fs.readFileSync(path.join(ROOT, exportOf("isolated-model")), "utf8"));
            const before = fs.readFileSync(input, "utf8");
            assertUsageError(await run(["--output", input, input]), input, /is the input file .*; it is not overwritten$/);
            const link = path.join(dir(), "link.json");
            fs.symlinkSync(input, link);
            assertUsageError(await run(["--output", link, input]), link, /it is not overwritten/);
            const config = writeTmp("cfg.json", {});
            assertUsageError(await run(["--config", config, "--output", config, input]), config, /it is not overwritten/);
            const hard = path.join(dir(), "hard.json");
            fs.linkSync(input, hard);
            assertUsageError(await run(["--output", hard, input]), hard, /is the input file/);
            // A file inside a folder of AWS records given as input.
            const records = path.join(dir(), "records");
            fs.mkdirSync(records);
            fs.copyFileSync(path.join(ROOT, "tests/fixtures/aws-records/describe/jobs.json"), path.join(records, "jobs.json"));
            assertUsageError(await run(["--output", path.join(records, "jobs.json"), records]), "jobs.json", /is inside the input folder .*; it is not overwritten$/);
            assert.strictEqual(fs.readFileSync(input, "utf8"), before);
        });

        it("--output through symbolic links, dangling ones included, into an input folder: refused, so the next run over the folder still works", async () => {
            const records = path.join(dir(), "records-dangling");
            fs.mkdirSync(records);
            fs.copyFileSync(path.join(ROOT, "tests/fixtures/aws-records/describe/jobs.json"), path.join(records, "jobs.json"));
            // report.json -> records-dangling/report.json (relative, dangling); chain.json -> report.json (absolute).
            const link = path.join(dir(), "report.json");
            fs.symlinkSync(path.join("records-dangling", "report.json"), link);
            const chain = path.join(dir(), "chain.json");
            fs.symlinkSync(link, chain);
            for (const output of [link, chain]) {
                assertUsageError(await run(["--format", "json", "--output", output, records]), output, /is inside the input folder .*records-dangling; it is not overwritten$/);
            }
            assert.deepStrictEqual(fs.readdirSync(records), ["jobs.json"], "nothing written in the input folder");
            // A loop of links: not an input, so the write itself fails, with its own message.
            const loop = path.join(dir(), "loop.json");
            fs.symlinkSync(loop, loop);
            assertUsageError(await run(["--output", loop, records]), loop, /cannot write the report \(ELOOP\)/);
            const again = await run(["--format", "json", records]);
            assert.notStrictEqual(again.code, 2, again.stderr);
        });

        it("a definition nested deeper than the policy SDK can decode: exit 2 naming the file and the resource", async () => {
            // 1,250 Parallel states, 5,000 levels of JSON (written as text: JSON.stringify would recurse).
            const task = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: {}, End: true } } });
            const def = '{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":['.repeat(1250) + task + "]}}}".repeat(1250);
            const type = "aws-native:stepfunctions:StateMachine";
            const f = writeTmp("deep.json", `{"deployment":{"resources":[{"urn":"urn:pulumi:dev::deep::${type}::deep-sfn","type":"${type}","custom":true,"inputs":{"definition":${def}},"outputs":{}}]}}`);
            assertUsageError(await run([f]), f, /: deep-sfn \(aws-native:stepfunctions:StateMachine\): the pack could not evaluate it: .*about 1,000 levels; `pulumi preview` would fail the same way\)$/);
        });

        it("--help prints the usage, one line per input kind and per format, and exits 0", async () => {
            const r = await run(["--help"]);
            assert.strictEqual(r.code, 0);
            assert.match(r.stdout, /^Usage: sagemaker-isolation-check \[options\] FILE\.\.\./);
            assert.match(r.stdout, /--format FORMAT/);
            assert.strictEqual(r.stderr, "");
            const lines = r.stdout.split("\n");
            for (const k of INPUT_KINDS) {
                assert.strictEqual(lines.filter(l => l === `  ${k.title}: ${k.help}`).length, 1, k.name);
            }
            for (const f of FORMATS) {
                assert.strictEqual(lines.filter(l => l.trim() === `${f.padEnd(10)}${FORMAT_HELP[f]}`).length, 1, f);
            }
            for (const kind of [/`pulumi stack export`/, /`pulumi preview --json/, /CloudTrail.*folders/, /lookup-events/, /describe-\*.*notebook instances.*Studio domains/,
                /AWS Config.*snapshots.*history.*batch-get.*select.*aggregator/, /--version/, /--repository-root DIR/]) {
                assert.match(r.stdout, kind);
            }
        });

        it("--version prints the package's version, from any folder, and exits 0", async () => {
            const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
            for (const cwd of [ROOT, dir()]) {
                const r = await run(["--version"], cwd);
                assert.deepStrictEqual(r, { code: 0, stdout: `sagemaker-isolation-check ${version}\n`, stderr: "" });
            }
        });
    });
});
