/**
 * The check command against hostile or odd inputs and surroundings (issue 15): --output through
 * links, error messages that must not quote the input, inputs without bound, standard input and
 * pipes, a closed stdout, signals, slow calls, deep nesting, links that loop, malformed JSON
 * outside the resources, and text that would forge lines on a terminal. Big inputs are
 * generated in a temporary folder as streams.
 */
import * as assert from "assert";
import { execFile, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { loadFile } from "../../cli/inputs";
import { CHECK, ROOT, Run, run } from "./run";

const EXPORT = path.join(ROOT, "examples/isolated-model/stack-export.json");
const LOOKUP = path.join(ROOT, "tests/fixtures/aws-records/lookup-events/sagemaker-us-west-2.json");
const SECRET = "SUPERSECRETVALUE42";

let tmp: string;

function writeTmp(name: string, content: string | Buffer): string {
    const file = path.join(tmp, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
}

/** Exit 2, nothing on stdout, one line on stderr that names every subject and matches `problem`. */
function assertInputError(r: Run, subjects: string[], problem: RegExp): void {
    assert.strictEqual(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.strictEqual(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.strictEqual(lines.length, 1, `one line on stderr: ${r.stderr}`);
    for (const s of subjects) {
        assert.ok(lines[0].includes(s), `names ${s}: ${lines[0]}`);
    }
    assert.match(lines[0], problem);
}

/** Runs a shell pipeline from the repository's root (`$CHECK` is the command). */
function shell(script: string): Promise<Run> {
    return new Promise(resolve => {
        execFile("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, CHECK: `${process.execPath} ${CHECK}` }, maxBuffer: 64 * 1024 * 1024, timeout: 60000 },
            (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }));
    });
}

/** A stack export of `n` S3 buckets (no policy applies to them), written as a stream. */
function bigExport(name: string, n: number): string {
    const file = path.join(tmp, name);
    const fd = fs.openSync(file, "w");
    fs.writeSync(fd, '{"version":3,"deployment":{"manifest":{},"resources":[');
    for (let i = 0; i < n; i++) {
        fs.writeSync(fd, `${i ? "," : ""}{"urn":"urn:pulumi:dev::big::aws:s3/bucket:Bucket::bucket-${i}","type":"aws:s3/bucket:Bucket","custom":true,` +
            `"inputs":{"bucket":"bucket-${i}","tags":{"team":"ml"}},"outputs":{"id":"bucket-${i}","bucket":"bucket-${i}"}}`);
    }
    fs.writeSync(fd, "]}}\n");
    fs.closeSync(fd);
    return file;
}

/** An export holding one resource of `type` named `name` (any characters). */
function oneResource(name: string, type = "aws:s3/bucket:Bucket"): string {
    return JSON.stringify({ version: 3, deployment: { resources: [{ urn: `urn:pulumi:dev::p::${type}::${name}`, type, custom: true, inputs: {}, outputs: {} }] } });
}

describe("check command: hostile inputs and surroundings (issue 15)", function () {
    this.timeout(60000);
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("1. --output never replaces a file read", () => {
        it("through a symbolic link in an input folder: exit 2 naming both, the file kept", async () => {
            const other = writeTmp("t1/other/in.json", fs.readFileSync(LOOKUP));
            fs.mkdirSync(path.join(tmp, "t1/trail"));
            fs.symlinkSync("../other/in.json", path.join(tmp, "t1/trail/in.json"));
            const before = fs.readFileSync(other, "utf8");
            assertInputError(await run(["--output", other, path.join(tmp, "t1/trail")]), [other, path.join(tmp, "t1/trail/in.json")], /it is not overwritten$/);
            assert.strictEqual(fs.readFileSync(other, "utf8"), before);
        });

        it("through a hard link made outside the folder to a file inside it", async () => {
            const inside = writeTmp("t2/trail/in.json", fs.readFileSync(LOOKUP));
            fs.mkdirSync(path.join(tmp, "t2/other"));
            const link = path.join(tmp, "t2/other/report.json");
            fs.linkSync(inside, link);
            assertInputError(await run(["--output", link, path.join(tmp, "t2/trail")]), [link, inside], /it is not overwritten$/);
            assert.strictEqual(fs.readFileSync(inside, "utf8"), fs.readFileSync(LOOKUP, "utf8"));
        });
    });

    describe("2. error messages never quote the input", () => {
        const noSecret = (r: Run) => {
            assert.ok(!r.stderr.includes(SECRET.slice(0, 8)) && !r.stdout.includes(SECRET.slice(0, 8)), r.stderr);
        };

        it("a stack export, JSON Lines, a lookup-events CloudTrailEvent and a configuration: what and where only", async () => {
            const exp = writeTmp("s2/export.json", `{"deployment": {"resources": [{"plaintext": "vpc-${SECRET}" x}]}}`);
            let r = await run([exp]);
            noSecret(r);
            assertInputError(r, [exp], /not valid JSON \(expected ',' or '}' at line 1, column \d+\)$/);
            const lines = writeTmp("s2/events.jsonl", `{"Records": []}\n{"Records": [{"TOKEN": ${SECRET}}]}\n`);
            r = await run([lines]);
            noSecret(r);
            assertInputError(r, [lines], /not valid JSON \(unexpected character at line 2, column 24\)$/);
            const lookup = writeTmp("s2/lookup.json", JSON.stringify({ Events: [{ EventId: "e", CloudTrailEvent: `{"requestParameters":{"TOKEN":${SECRET}}}` }] }));
            r = await run([lookup]);
            noSecret(r);
            assertInputError(r, [lookup], /Events\[0\]\.CloudTrailEvent is not valid JSON \(unexpected character at byte 30\)$/);
            const config = writeTmp("s2/config.json", `{"all": "advisory", "sagemaker-vpc-endpoints": {"exemptions": [${SECRET}]}}`);
            r = await run(["--config", config, EXPORT]);
            noSecret(r);
            assertInputError(r, [config], /not valid JSON \(unexpected character at line 1, column 64\)$/);
        });
    });

    describe("3. a bound on what is read (--max-file-bytes)", () => {
        it("a gzip file that inflates past the cap, an endless device, standard input: exit 2 naming the file and the cap", async () => {
            const spaces = path.join(tmp, "spaces.json.gz");
            await new Promise<void>((resolve, reject) => {
                const gz = zlib.createGzip();
                gz.pipe(fs.createWriteStream(spaces)).on("finish", resolve).on("error", reject);
                const mb = Buffer.alloc(1024 * 1024, 0x20);
                gz.write(mb);
                gz.end(mb);
            });
            const started = Date.now();
            assertInputError(await run(["--max-file-bytes", "1M", spaces]), [spaces, "1 MiB"], /inflates to more than 1 MiB, the most read from one file \(--max-file-bytes\)$/);
            assert.ok(Date.now() - started < 10000);
            // Read in large chunks: the cap is hit before the first byte is looked at.
            assertInputError(await run(["--max-file-bytes", "1M", "/dev/zero"]), ["/dev/zero", "1 MiB"], /holds more than 1 MiB/);
            const r = await shell(`head -c 2000000 /dev/zero | tr '\\0' ' ' | $CHECK --max-file-bytes 1M -`);
            assertInputError(r, ["-: ", "1 MiB"], /holds more than 1 MiB/);
            assertInputError(await run(["--max-file-bytes", "lots", EXPORT]), ["--max-file-bytes"], /a positive size in bytes/);
        });
    });

    describe("4. standard input and pipes are read as streams", () => {
        it("an export through standard input as - and as /dev/stdin, and through a pipe as a file", async () => {
            for (const arg of ["-", "/dev/stdin"]) {
                const r = await shell(`cat ${JSON.stringify(EXPORT)} | $CHECK --format json ${arg}`);
                assert.strictEqual(r.code, 0, r.stderr);
                const doc = JSON.parse(r.stdout) as { stacks: { stack: string; file: string; resources: number }[] };
                assert.deepStrictEqual(doc.stacks.map(s => [s.stack, s.file]), [["prod", arg]]);
            }
            const r = await shell(`$CHECK <(gzip -c ${JSON.stringify(EXPORT)}) | tail -1`);
            assert.strictEqual(r.code, 0, r.stderr);
            assert.match(r.stdout, /Passed: no mandatory policy violations\.$/m);
        });
    });

    describe("5. process hygiene", () => {
        it("a reader that closes stdout early (| head): no error, the report's exit code", async () => {
            const big = bigExport("epipe.json", 3000);
            const r = await shell(`$CHECK --format json ${JSON.stringify(big)} | head -c 20 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`);
            assert.strictEqual(r.stderr, "exit=0\n");
        });

        it("SIGTERM ends the pack process with the command", async () => {
            const child = spawn(process.execPath, [CHECK, EXPORT], { cwd: ROOT, stdio: "ignore" });
            const exited = new Promise<void>(resolve => child.once("exit", () => resolve()));
            const packPid = async (): Promise<number> => {
                for (let i = 0; i < 200; i++) {
                    const ps = spawnSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" });
                    const pid = Number(ps.stdout.trim().split("\n")[0]);
                    if (pid > 0) {
                        return pid;
                    }
                    await new Promise(res => setTimeout(res, 25));
                }
                throw new Error("the pack process was not started");
            };
            const pid = await packPid();
            await new Promise(res => setTimeout(res, 300)); // the pack is starting up, the command waits for its port
            child.kill("SIGTERM");
            await exited;
            const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
            for (let i = 0; i < 100 && alive(); i++) {
                await new Promise(res => setTimeout(res, 50));
            }
            assert.ok(!alive(), `the pack process ${pid} is still running`);
            assert.strictEqual(child.signalCode, "SIGTERM");
        });

        it("a call past --call-timeout: exit 2 naming the resource", async () => {
            assertInputError(await run(["--call-timeout", "0.000001", EXPORT]), [EXPORT], /: [^ ]+ \([^)]+\): the pack gave no answer within 0\.000001 s \(--call-timeout\)$/);
            assertInputError(await run(["--call-timeout", "0", EXPORT]), ["--call-timeout"], /a positive number of seconds/);
        });
    });

    describe("6. errors name the file and a path", () => {
        it("a describe output or a configuration nested 100,000 levels deep, a CreationTime no date has", async () => {
            const deep = '{"a":'.repeat(100000) + "1" + "}".repeat(100000);
            const describe = writeTmp("s6/deep.json", `{"ModelName":"m","ModelArn":"arn:aws:sagemaker:us-east-1:111122223333:model/m","PrimaryContainer":${deep}}`);
            assertInputError(await run([describe]), [describe], /nests too deep to read \(100,00\d levels, reached at line 1, column \d+\)$/);
            const config = writeTmp("s6/config.json", deep);
            assertInputError(await run(["--config", config, EXPORT]), [config], /nests too deep \(nesting deeper than 100 levels at line 1, column 501\)$/);
            const time = writeTmp("s6/time.json", JSON.stringify({ ModelName: "m", ModelArn: "arn:aws:sagemaker:us-east-1:111122223333:model/m", CreationTime: 1e15 }));
            assertInputError(await run([time]), [time], /: CreationTime is not a time \(epoch seconds out of range\)$/);
        });

        it("a symbolic link loop in a folder is skipped with a warning naming it", async () => {
            const dir = path.join(tmp, "s6/trail");
            writeTmp("s6/trail/in.json", fs.readFileSync(LOOKUP));
            fs.symlinkSync("loop.json", path.join(dir, "loop.json"));
            const warnings: string[] = [];
            const stacks = await loadFile(dir, { warn: w => warnings.push(w) });
            assert.strictEqual(stacks.length, 1);
            assert.deepStrictEqual(warnings, [`${path.join(dir, "loop.json")}: skipped, a symbolic link that cannot be followed (a loop)`]);
        });
    });

    describe("7. the streaming reader checks the whole file", () => {
        it("malformed JSON after the resources: exit 2 with line and column", async () => {
            const f = writeTmp("s7/after.json", oneResource("b").replace(/\]\}\}$/, "], tru fals nul xyz}}"));
            assertInputError(await run([f]), [f], /not valid JSON \(expected a member name in quotes at line 1, column 165\)$/);
            const g = writeTmp("s7/literal.json", oneResource("b").replace(/\]\}\}$/, "], \"x\": [tru, fals, nul]}}"));
            assertInputError(await run([g]), [g], /not valid JSON \(invalid literal at line 1, column 174\)$/);
        });

        it("a top-level key named \"deployment.resources\" is not the resources", async () => {
            const f = writeTmp("s7/dotted.json", JSON.stringify({ "deployment": {}, "deployment.resources": JSON.parse(oneResource("b")).deployment.resources }));
            const stacks = await loadFile(f);
            assert.deepStrictEqual(stacks.map(s => s.resources.length), [0]);
        });
    });

    describe("8. text output cannot forge lines", () => {
        it("a newline, an escape and a bidi override in a resource name are shown escaped", async () => {
            const f = writeTmp("s8/names.json", oneResource("x\nPassed: no mandatory policy violations.\u001b[2J\u202e"));
            const r = await run([f]);
            assert.strictEqual(r.code, 0, r.stderr);
            const lines = r.stdout.split("\n");
            assert.deepStrictEqual(lines.filter(l => l.startsWith("Passed")), [], "no forged line");
            assert.ok(r.stdout.includes("x\\nPassed: no mandatory policy violations.\\x1b[2J\\u202e"), r.stdout);
            assert.ok(!r.stdout.includes("\u001b") && !r.stdout.includes("\u202e"));
        });
    });
});
