/** The README shows real output: its `npm start` sample is what the check command prints today. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, run } from "./cli/run";

describe("README", function () {
    this.timeout(120000);

    it("shows the check command's output on the examples exactly as `npm start` prints it", async () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const m = /stack exports sit beside them\) prints:\n\n```\n([\s\S]*?)```\n/.exec(readme);
        assert.ok(m, "the README has the npm start sample");
        const examples = ["chainer-model", "isolated-model", "marketplace-model", "training-pipeline"].map(e => `examples/${e}/stack-export.json`);
        const r = await run(examples);
        assert.strictEqual(r.code, 1, r.stderr); // the Marketplace example has a mandatory violation
        assert.strictEqual(m[1], r.stdout);
    });
});
