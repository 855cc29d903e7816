/** The README shows real output: its `npm start` sample is what the check command prints today. */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

describe("README", function () {
    this.timeout(120000);

    it("shows the check command's output on the examples exactly as `npm start` prints it", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const m = /stack exports sit beside them\) prints:\n\n```\n([\s\S]*?)```\n/.exec(readme);
        assert.ok(m, "the README has the npm start sample");
        const examples = ["chainer-model", "isolated-model", "marketplace-model", "training-pipeline"].map(e => `examples/${e}/stack-export.json`);
        let out: string;
        try {
            out = execFileSync(process.execPath, [path.join(ROOT, "bin", "cli", "check.js"), ...examples], { cwd: ROOT, encoding: "utf8" });
        } catch (e) {
            out = (e as { stdout: string }).stdout; // exit 1: the Marketplace example has a mandatory violation
        }
        assert.strictEqual(m[1], out);
    });
});
