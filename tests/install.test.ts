/**
 * A newcomer's path, and the check command anywhere: the package as `npm pack` makes it, installed with `npm install -g`
 * into a prefix of its own, run from a folder outside the repository on a copied stack export,
 * as a user runs it (README, "Install the check command anywhere"): a report, a typo in a
 * configuration key, and a SARIF finding placed on the program's line. `npm test` has built bin/;
 * the pack skips `prepare` (--ignore-scripts) so that bin/ is packed as built. The install takes
 * the dependencies from npm's cache (filled by `npm ci`) or, where they are not there, from the
 * registry.
 */
import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";
import { MARKETPLACE, VPC_ENDPOINTS } from "./rules";

const ROOT = path.resolve(__dirname, "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

interface Result {
    code: number;
    stdout: string;
    stderr: string;
}

function exec(file: string, args: string[], cwd: string, timeout: number): Promise<Result> {
    return new Promise(resolve => {
        execFile(file, args, { cwd, timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
            resolve({ code, stdout, stderr });
        });
    });
}

describe("installed check command (npm pack, npm install -g)", function () {
    this.timeout(180000);
    let tmp = "";
    let bin = "";

    before(async function () {
        if (spawnSync(NPM, ["--version"], { encoding: "utf8" }).status !== 0) {
            console.warn("    skipped: npm is not available on this machine, so the package cannot be packed and installed");
            this.skip();
        }
        assert.ok(fs.existsSync(path.join(ROOT, "bin", "cli", "check.js")), "bin/ is missing: run `npm run build` first");
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sni-install-"));
        const packed = await exec(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT, 120000);
        assert.strictEqual(packed.code, 0, packed.stderr);
        const tgz = path.join(tmp, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
        assert.match(path.basename(tgz), /^sagemaker-network-isolation-.*\.tgz$/);
        const prefix = path.join(tmp, "prefix");
        const installed = await exec(NPM, ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tgz], tmp, 150000);
        assert.strictEqual(installed.code, 0, installed.stderr);
        bin = process.platform === "win32" ? path.join(prefix, "sagemaker-isolation-check.cmd") : path.join(prefix, "bin", "sagemaker-isolation-check");
        assert.ok(fs.existsSync(bin), `${bin} is installed`);
    });

    after(() => {
        if (tmp) {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("runs from a folder outside the repository on a copied export: the Marketplace example's mandatory violation, exit 1", async () => {
        const work = fs.mkdtempSync(path.join(tmp, "work-"));
        assert.ok(path.relative(ROOT, work).startsWith(".."), "the folder is outside the repository");
        fs.copyFileSync(path.join(ROOT, "examples", "marketplace-model", "stack-export.json"), path.join(work, "dev.json"));
        const r = await exec(bin, ["dev.json"], work, 110000);
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(r.stdout, /^Stack dev \(project marketplace-model\) - dev\.json\n/);
        assert.match(r.stdout, new RegExp(`mandatory +${MARKETPLACE} +vendor-sentiment: primaryContainer\\.modelPackageName is a Marketplace model package`));
        assert.match(r.stdout, /FAILED: mandatory policy violations\.\n$/);
    });

    it("exits 0 on a compliant export; its --help names the installed command, its --version the package's", async () => {
        const work = fs.mkdtempSync(path.join(tmp, "work-"));
        fs.copyFileSync(path.join(ROOT, "examples", "isolated-model", "stack-export.json"), path.join(work, "prod.json"));
        const r = await exec(bin, ["--format", "json", "prod.json"], work, 110000);
        assert.strictEqual(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout) as { summary: { mandatory: number } };
        assert.strictEqual(report.summary.mandatory, 0);
        const help = await exec(bin, ["--help"], work, 30000);
        assert.strictEqual(help.code, 0, help.stderr);
        assert.match(help.stdout, /^Usage: sagemaker-isolation-check /);
        const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        const v = await exec(bin, ["--version"], work, 30000);
        assert.deepStrictEqual(v, { code: 0, stdout: `sagemaker-isolation-check ${version}\n`, stderr: "" });
    });

    it("a typo in a configuration key: exit 2, naming the file, the policy and the key meant", async () => {
        const work = fs.mkdtempSync(path.join(tmp, "work-"));
        fs.copyFileSync(path.join(ROOT, "examples", "isolated-model", "stack-export.json"), path.join(work, "prod.json"));
        fs.writeFileSync(path.join(work, "policy-config.json"), JSON.stringify({ [VPC_ENDPOINTS]: { requiredService: ["s3"] } }));
        const r = await exec(bin, ["--config", "policy-config.json", "prod.json"], work, 110000);
        assert.strictEqual(r.code, 2, r.stdout);
        assert.strictEqual(r.stderr, `sagemaker-isolation-check: policy-config.json: ${VPC_ENDPOINTS}: unknown setting "requiredService" (did you mean "requiredServices"?)\n`);
    });

    it("SARIF places the Marketplace finding on the line of the Pulumi program that declares the model", async () => {
        const work = fs.mkdtempSync(path.join(tmp, "work-"));
        const project = path.join(work, "infra");
        fs.mkdirSync(project);
        for (const f of ["index.ts", "Pulumi.yaml"]) {
            fs.copyFileSync(path.join(ROOT, "examples", "marketplace-model", f), path.join(project, f));
        }
        fs.copyFileSync(path.join(ROOT, "examples", "marketplace-model", "stack-export.json"), path.join(work, "dev.json"));
        const r = await exec(bin, ["--format", "sarif", "--source-root", "infra", "dev.json"], work, 110000);
        assert.strictEqual(r.code, 1, r.stderr);
        const log = JSON.parse(r.stdout) as sarif.Log;
        const result = log.runs[0].results!.find(x => x.ruleId === MARKETPLACE)!;
        const where = result.locations![0].physicalLocation!;
        // Paths from the folder it runs in (no Git work tree here; it holds the program): infra/index.ts, no path of the machine.
        assert.strictEqual(where.artifactLocation!.uri, "infra/index.ts");
        assert.ok(!r.stdout.includes(tmp), "no absolute path in the SARIF");
        const line = fs.readFileSync(path.join(work, ...where.artifactLocation!.uri.split("/")), "utf8").split("\n")[where.region!.startLine! - 1];
        assert.match(line, /new aws\.sagemaker\.Model\("vendor-sentiment"/);
    });
});
