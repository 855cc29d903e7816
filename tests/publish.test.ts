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
    it("ships the compiled pack, the library, the check command, their types, manifest, docs, changelog, licence and config files; no sources, tests or source maps", () => {
        const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
        const files = (JSON.parse(out)[0].files as { path: string }[]).map(f => f.path);
        for (const f of ["PulumiPolicy.yaml", "package.json", "README.md", "CHANGELOG.md", "LICENSE", "bin/index.js", "bin/policies/catalogue/index.js",
            ...RULES.map(r => `bin/policies/rules/${r.name}.js`), "bin/policies/index.js", "bin/policies/index.d.ts", "bin/policies/catalogue/select.d.ts",
            "bin/policies/facts/data/managed-images.json", "bin/cli/check.js", "bin/cli/check.d.ts", "config/stage1-advisory.json", "scripts/prepare.js"]) {
            assert.ok(files.includes(f), `${f} is published`);
        }
        assert.deepStrictEqual(files.filter(f => (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f === "tsconfig.json" || f.endsWith(".map")
            || f.startsWith("tests/") || f.startsWith("bench/") || f.startsWith("examples/")), []);
    });

    it("package.json: publishable (not private), the pack as main, the library as an export with its types", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
        assert.strictEqual(pkg["private"], undefined);
        assert.strictEqual(pkg["main"], "bin/index.js");
        assert.deepStrictEqual(pkg["exports"], {
            ".": { types: "./bin/index.d.ts", default: "./bin/index.js" },
            "./policies": { types: "./bin/policies/index.d.ts", default: "./bin/policies/index.js" },
            "./package.json": "./package.json",
        });
        assert.deepStrictEqual(pkg["typesVersions"], { "*": { policies: ["bin/policies/index.d.ts"] } }, "moduleResolution node ignores exports");
        assert.match(String(pkg["version"]), /^\d+\.\d+\.\d+$/);
        assert.strictEqual(pkg["license"], "Apache-2.0");
        assert.match(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8"), /^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
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
