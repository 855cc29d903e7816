/**
 * What `pulumi policy publish` uploads (it packs the pack with npm) and what Pulumi then
 * installs with `npm install`: the compiled pack, without the TypeScript sources, whose
 * `prepare` must not try to build it again.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RULES } from "../policies/catalogue/index";

const ROOT = path.join(__dirname, "..");

describe("published pack", () => {
    let dir = ""; // a folder a test made in the system's temporary folder
    it("ships the compiled pack, its manifest, docs and config files, and no sources", () => {
        const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
        const files = (JSON.parse(out)[0].files as { path: string }[]).map(f => f.path);
        for (const f of ["PulumiPolicy.yaml", "package.json", "README.md", "bin/index.js", "bin/policies/catalogue/index.js", ...RULES.map(r => `bin/policies/rules/${r.name}.js`),
            "bin/policies/facts/data/managed-images.json", "bin/cli/check.js", "config/stage1-advisory.json", "scripts/prepare.js"]) {
            assert.ok(files.includes(f), `${f} is published`);
        }
        assert.deepStrictEqual(files.filter(f => f.endsWith(".ts") || f === "tsconfig.json"), []);
    });

    it("prepare keeps the shipped bin/ where there is no tsconfig.json, and fails where there is nothing", () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sni-publish-"));
        fs.mkdirSync(path.join(dir, "scripts"));
        fs.copyFileSync(path.join(ROOT, "scripts", "prepare.js"), path.join(dir, "scripts", "prepare.js"));
        const run = () => spawnSync(process.execPath, [path.join(dir, "scripts", "prepare.js")], { cwd: dir, encoding: "utf8" });
        assert.strictEqual(run().status, 1);
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "bin", "index.js"), "");
        const ok = run();
        assert.strictEqual(ok.status, 0, ok.stderr);
    });

    afterEach(() => {
        if (dir) {
            fs.rmSync(dir, { recursive: true, force: true });
            dir = "";
        }
    });
});
