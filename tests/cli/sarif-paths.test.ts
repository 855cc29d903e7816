/**
 * SARIF paths from the repository's root (cli/reports/paths.ts): GitHub code scanning reads every
 * artifact URI from the root of the repository and ignores `originalUriBaseIds`
 * (github/codeql-action#2215), so a program in `infra/` must be named `infra/...`, and no absolute
 * path of the machine may be written. Each test builds its repositories in a temporary folder
 * and removes it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";
import { FINGERPRINT } from "../../cli/reports/sarif";
import { MARKETPLACE } from "../rules";
import { ROOT, run, Run } from "./run";
import { lineOf, place, validator } from "./sarif-schema";

const EXPORT = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/marketplace-model/stack-export.json"), "utf8"));

/** The model's file in the fixture repositories: line 3, column 5 declares it. */
const MODEL_FILE = [
    'import * as aws from "@pulumi/aws";',
    "export function vendorModel(executionRoleArn: string): void {",
    '    new aws.sagemaker.Model("vendor-sentiment", {',
    "        executionRoleArn,",
    "        enableNetworkIsolation: false,",
    '        primaryContainer: { modelPackageName: "arn:aws:sagemaker:us-east-1:865070037744:model-package/sentiment-analysis-v3-4f9c2a7e1b" },',
    "    });",
    "}",
    "",
].join("\n");

/**
 * A repository in `dir`: `.git` (a folder, or a file as in a linked work tree; none for "none"),
 * the Marketplace example's program in `program` ("" for the root) with the model declared in
 * models/x.ts, and its stack export beside it (the model's sourcePosition `project:///models/x.ts#3,5`).
 */
function repository(dir: string, program: string, git: "folder" | "file" | "none"): string {
    fs.mkdirSync(dir, { recursive: true });
    if (git === "folder") {
        fs.mkdirSync(path.join(dir, ".git"));
    } else if (git === "file") {
        fs.writeFileSync(path.join(dir, ".git"), "gitdir: ../main/.git/worktrees/copy\n");
    }
    const project = path.join(dir, program);
    fs.mkdirSync(path.join(project, "models"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "examples/marketplace-model/index.ts"), path.join(project, "index.ts"));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: marketplace-model\nruntime: nodejs\n");
    fs.writeFileSync(path.join(project, "models", "x.ts"), MODEL_FILE);
    const doc = structuredClone(EXPORT);
    doc.deployment.resources.find((r: { type: string }) => r.type === "aws:sagemaker/model:Model").sourcePosition = "project:///models/x.ts#3,5";
    fs.writeFileSync(path.join(project, "stack-export.json"), JSON.stringify(doc));
    return project;
}

/** The SARIF of a run (exit 1: the Marketplace model), checked valid and free of the machine's paths. */
function sarifOf(r: Run, ...paths: string[]): sarif.Log {
    assert.strictEqual(r.code, 1, r.stderr);
    assert.strictEqual(r.stderr, "");
    for (const p of [...paths, ROOT, os.tmpdir(), os.homedir(), "file:"]) {
        assert.ok(!r.stdout.includes(p), `the SARIF names ${p}`);
        assert.ok(!r.stdout.includes(JSON.stringify(p).slice(1, -1)), `the SARIF names ${p} (escaped)`);
    }
    const log = JSON.parse(r.stdout) as sarif.Log;
    const validate = validator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
    return log;
}

function marketplaceResult(log: sarif.Log): sarif.Result {
    return log.runs[0].results!.find(x => x.ruleId === MARKETPLACE)!;
}

describe("SARIF paths from the repository's root (cli/reports/paths.ts)", function () {
    this.timeout(120000);
    let tmp = "";
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-paths-"));
    });
    afterEach(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("a program in infra/: the model declared in infra/models/x.ts is placed there, the same SARIF from any folder and any clone", async () => {
        const repo = path.join(tmp, "repo");
        const project = repository(repo, "infra", "folder");
        const runs = [
            await run(["--format", "sarif", "--source-root", "infra", "infra/stack-export.json"], repo),
            await run(["--format", "sarif", "--source-root", project, path.join(project, "stack-export.json")]),
            await run(["--format", "sarif", "stack-export.json"], project),
        ];
        const log = sarifOf(runs[0], repo);
        const x = marketplaceResult(log);
        const at = x.locations![0].physicalLocation!;
        assert.deepStrictEqual(at, { artifactLocation: { uri: "infra/models/x.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 3, startColumn: 5 } });
        const file = place(at, repo);
        assert.strictEqual(lineOf(file.file, file.line!).slice(file.column! - 1), 'new aws.sagemaker.Model("vendor-sentiment", {');
        assert.deepStrictEqual(x.relatedLocations![0].physicalLocation!.artifactLocation, { uri: "infra/stack-export.json", uriBaseId: "%SRCROOT%" });
        assert.deepStrictEqual(log.runs[0].artifacts!.map(a => a.location!.uri), ["infra/stack-export.json", "infra/models/x.ts"]);
        // The base id is declared, without a path.
        assert.deepStrictEqual(Object.keys(log.runs[0].originalUriBaseIds!), ["%SRCROOT%"]);
        assert.strictEqual(log.runs[0].originalUriBaseIds!["%SRCROOT%"].uri, undefined);
        for (const r of runs.slice(1)) {
            sarifOf(r, repo);
            assert.strictEqual(r.stdout, runs[0].stdout, "the same SARIF whatever the working directory");
        }
        // Another clone, elsewhere, as a linked work tree (.git is a file): the same SARIF, fingerprints included.
        const copy = path.join(tmp, "elsewhere", "clone");
        repository(copy, "infra", "file");
        const other = await run(["--format", "sarif", "--source-root", "infra", "infra/stack-export.json"], copy);
        sarifOf(other, copy);
        assert.strictEqual(other.stdout, runs[0].stdout);
        assert.match(x.partialFingerprints![FINGERPRINT], /^[0-9a-f]{64}$/);
    });

    it("a program at the repository's root: models/x.ts", async () => {
        const repo = repository(path.join(tmp, "root-repo"), "", "folder");
        const log = sarifOf(await run(["--format", "sarif", "stack-export.json"], repo), repo);
        assert.deepStrictEqual(marketplaceResult(log).locations![0].physicalLocation!.artifactLocation, { uri: "models/x.ts", uriBaseId: "%SRCROOT%" });
        assert.deepStrictEqual(log.runs[0].artifacts!.map(a => a.location!.uri), ["stack-export.json", "models/x.ts"]);
    });

    it("without Git: --repository-root, else the working directory when it holds the source root, else the source root", async () => {
        const plain = path.join(tmp, "plain");
        const project = repository(plain, "infra", "none");
        const args = ["--format", "sarif", "--source-root", project, path.join(project, "stack-export.json")];
        const uri = (r: Run) => marketplaceResult(sarifOf(r, plain)).locations![0].physicalLocation!.artifactLocation!.uri;
        assert.strictEqual(uri(await run([...args, "--repository-root", plain])), "infra/models/x.ts");
        assert.strictEqual(uri(await run(args, plain)), "infra/models/x.ts");
        assert.strictEqual(uri(await run(args)), "models/x.ts");
        // A repository root that does not hold the source root, or is not a folder: exit 2.
        const elsewhere = path.join(tmp, "elsewhere");
        fs.mkdirSync(elsewhere);
        const r = await run([...args, "--repository-root", elsewhere]);
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /--repository-root .*elsewhere: does not hold the source root/);
        const missing = await run([...args, "--repository-root", path.join(tmp, "missing")]);
        assert.strictEqual(missing.code, 2);
        assert.match(missing.stderr, /--repository-root .*missing: not a folder/);
    });

    it("an input outside the repository is named by its file name alone; a program file outside it is no location", async () => {
        const repo = path.join(tmp, "repo");
        const project = repository(repo, "infra", "folder");
        const outside = path.join(tmp, "exports");
        fs.mkdirSync(outside);
        const doc = JSON.parse(fs.readFileSync(path.join(project, "stack-export.json"), "utf8"));
        // The model's position names a file outside the repository (file:///): its results stay on the input.
        doc.deployment.resources.find((r: { type: string }) => r.type === "aws:sagemaker/model:Model").sourcePosition = `file://${path.join(tmp, "lib", "shared.ts")}#3,5`;
        fs.writeFileSync(path.join(outside, "dev.json"), JSON.stringify(doc));
        const log = sarifOf(await run(["--format", "sarif", "--source-root", "infra", path.join(outside, "dev.json")], repo), tmp);
        const x = marketplaceResult(log);
        assert.deepStrictEqual(x.locations![0].physicalLocation, { artifactLocation: { uri: "dev.json", uriBaseId: "OUTSIDE_REPOSITORY" } });
        assert.strictEqual(x.relatedLocations, undefined);
        assert.deepStrictEqual(Object.keys(log.runs[0].originalUriBaseIds!), ["%SRCROOT%", "OUTSIDE_REPOSITORY"]);
        assert.strictEqual(log.runs[0].originalUriBaseIds!["OUTSIDE_REPOSITORY"].uri, undefined);
    });
});
