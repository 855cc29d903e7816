/**
 * The README and docs/ show real output: the `npm start` sample is what the check command prints
 * today on the examples, and the audit report samples are how its report on the AWS record
 * fixtures ends. Each sample is found by the sentence that introduces it, in whichever of
 * README.md and docs/*.md holds it (exactly one must).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, run } from "./cli/run";
import { documentationFiles } from "./docs/markdown";

/** The one code block introduced by `intro` (a regular expression source) in the documentation, and its file. */
function sample(intro: string, fence: string): { file: string; text: string } {
    const re = new RegExp(`${intro}\\n\\n${fence}\\n([\\s\\S]*?)${fence.replace(/[a-z]+$/, "")}\\n`);
    const found = documentationFiles().flatMap(file => {
        const m = re.exec(fs.readFileSync(path.join(ROOT, file), "utf8"));
        return m ? [{ file, text: m[1] }] : [];
    });
    assert.strictEqual(found.length, 1, `one sample introduced by /${intro}/ in ${documentationFiles().join(", ")}; found in ${found.map(f => f.file).join(", ") || "none"}`);
    return found[0];
}

describe("README and docs samples", function () {
    this.timeout(120000);
    const records = path.join(ROOT, "tests", "fixtures", "aws-records");

    it("show the check command's output on the examples exactly as `npm start` prints it", async () => {
        const s = sample("stack exports sit beside them\\) prints:", "```");
        const examples = ["chainer-model", "isolated-model", "marketplace-model", "training-pipeline"].map(e => `examples/${e}/stack-export.json`);
        const r = await run(examples);
        assert.strictEqual(r.code, 1, r.stderr); // the Marketplace example has a mandatory violation
        assert.strictEqual(s.text, r.stdout, `the npm start sample in ${s.file}`);
        // The README shows how it ends.
        const end = sample("stack by stack, is\\n?.*It ends with:", "```");
        assert.strictEqual(end.file, "README.md");
        assert.ok(end.text.length > 20 && r.stdout.endsWith(end.text), `README's excerpt:\n${end.text}`);
    });

    it("show the Evidence the Markdown report on the CloudTrail and describe fixtures opens with", async () => {
        const s = sample("isolation policies are advisory by default\\) and its report opens, after the headline, with:", "````markdown");
        const r = await run(["--format", "markdown", "trail", "lookup-events/sagemaker-us-west-2.json", "describe"], records);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.ok(r.stdout.includes(`\n${s.text}`), `the report holds the sample in ${s.file}:\n${r.stdout}`);
        assert.match(s.text, /^## Evidence\n/);
        assert.strictEqual(r.stdout.indexOf("\n## "), r.stdout.indexOf("\n## Evidence\n"), "the Evidence comes first");
    });

    it("show the AWS Config part of the Markdown report on the AWS Config fixtures", async () => {
        const s = sample("`sagemaker-isolation-check --format markdown config` shows:", "````markdown");
        const r = await run(["--format", "markdown", "config"], records);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.ok(r.stdout.includes(`\n${s.text}`), `the report holds the sample in ${s.file}:\n${r.stdout}`);
        assert.match(s.text, /^### Current state \(AWS Config\)\n/);
    });
});
