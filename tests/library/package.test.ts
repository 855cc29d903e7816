/**
 * The package as an organization installs it (./org-pack.ts): the library entry resolves and
 * loads without a side effect, its types compile under the Pulumi policy template's settings
 * (`module: commonjs`, `moduleResolution: node`) and under `node16`, the folder `pulumi policy
 * publish` needs is there, and the check command runs from the organization's node_modules.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policies/catalogue/index";
import { exec, npmAvailable, OrgPack, orgPack, PACKAGE, ROOT } from "./org-pack";

const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** A TypeScript pack's use of the library; the expected error proves the types are the library's, not `any`. */
const USE = `import { PolicyPack } from "@pulumi/policy";
import { PACK_VERSION, PolicyFilter, policies, selectPolicies } from "${PACKAGE}/policies";

const filter: PolicyFilter = { frameworks: ["AWS Foundational Security Best Practices"], controls: ["SageMaker.5"] };
const chosen = selectPolicies(filter, "mandatory");
const all: typeof chosen = policies;
// @ts-expect-error a severity is one of the SDK's
selectPolicies({ severities: ["severe"] });
const version: string = PACK_VERSION;
export const pack = () => new PolicyPack("acme", { policies: [...chosen, ...all.slice(0, 0)] }) && version;
`;

const SETTINGS: Record<string, { module: string; moduleResolution: string }> = {
    "Pulumi's policy template (commonjs, node)": { module: "commonjs", moduleResolution: "node" },
    "node16": { module: "node16", moduleResolution: "node16" },
};

describe("the installed package (npm pack, npm install in an organization's pack)", function () {
    this.timeout(300000);
    let org: OrgPack;

    before(async function () {
        if (!npmAvailable()) {
            console.warn("    skipped: npm is not available on this machine, so the package cannot be packed and installed");
            this.skip();
        }
        org = await orgPack();
    });

    it("importing <package>/policies has no side effect: no output, no server, the process ends by itself", () => {
        const script = `const l = require("${PACKAGE}/policies"); if (l.policies.length !== ${RULES.length} || typeof l.selectPolicies !== "function") process.exit(3);`;
        const r = spawnSync(process.execPath, ["-e", script], { cwd: org.dir, encoding: "utf8", timeout: 60000 });
        assert.strictEqual(r.signal, null, "the process ended by itself");
        assert.deepStrictEqual([r.status, r.stdout, r.stderr], [0, "", ""]);
    });

    it("exports: the package is the pack (bin/index.js), /policies the library, /package.json; nothing deeper", () => {
        const resolve = (id: string) => spawnSync(process.execPath, ["-p", `require.resolve(${JSON.stringify(id)})`], { cwd: org.dir, encoding: "utf8" });
        const rel = (id: string) => path.relative(org.installed, resolve(id).stdout.trim()).split(path.sep).join("/");
        assert.deepStrictEqual([PACKAGE, `${PACKAGE}/policies`, `${PACKAGE}/package.json`].map(rel),
            ["bin/index.js", "bin/policies/index.js", "package.json"]);
        const deep = resolve(`${PACKAGE}/bin/policies/catalogue/index.js`);
        assert.notStrictEqual(deep.status, 0);
        assert.match(deep.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
    });

    for (const [title, options] of Object.entries(SETTINGS)) {
        it(`import { policies, selectPolicies } from "<package>/policies" compiles: ${title}`, () => {
            fs.writeFileSync(path.join(org.dir, "use.ts"), USE);
            const config = `tsconfig.${options.module}.json`;
            fs.writeFileSync(path.join(org.dir, config), JSON.stringify({
                compilerOptions: { strict: true, target: "es2020", noEmit: true, ...options },
                files: ["use.ts"],
            }));
            const r = spawnSync(process.execPath, [TSC, "-p", config], { cwd: org.dir, encoding: "utf8", timeout: 120000 });
            // Without skipLibCheck, as the template: @pulumi/policy's own declarations have errors of their own (not ours).
            const errors = r.stdout.split("\n").filter(l => /error TS\d+/.test(l) && !l.startsWith("node_modules/@pulumi/policy/"));
            assert.deepStrictEqual(errors, []);
            assert.ok(r.status === 0 || /error TS/.test(r.stdout), r.stdout + r.stderr);
        });
    }

    it("is what `pulumi policy publish` needs, with docs, changelog, licence and types, and no tests", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(org.installed, "package.json"), "utf8")) as Record<string, unknown>;
        assert.strictEqual(pkg["private"], undefined);
        assert.strictEqual(pkg["main"], "bin/index.js");
        for (const f of ["PulumiPolicy.yaml", "package.json", "bin/index.js", "bin/policies/index.js", "bin/policies/index.d.ts",
            "bin/cli/check.js", "README.md", "CHANGELOG.md", "LICENSE", "config"]) {
            assert.ok(fs.existsSync(path.join(org.installed, f)), `${f} is installed`);
        }
        assert.ok(!fs.existsSync(path.join(org.installed, "tests")), "no tests");
        assert.match(fs.readFileSync(path.join(org.installed, "CHANGELOG.md"), "utf8"), new RegExp(`^## ${String(pkg["version"]).replace(/\./g, "\\.")}\\b`, "m"));
    });

    it("the check command runs from the organization's node_modules/.bin", async () => {
        const bin = path.join(org.dir, "node_modules", ".bin", process.platform === "win32" ? "sagemaker-isolation-check.cmd" : "sagemaker-isolation-check");
        const r = await exec(bin, ["--format", "json", path.join(ROOT, "examples", "isolated-model", "stack-export.json")], org.dir, 120000);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual((JSON.parse(r.stdout) as { summary: { mandatory: number } }).summary.mandatory, 0);
    });
});
