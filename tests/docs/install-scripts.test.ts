/**
 * npm 11 runs a dependency's install scripts only where the project's `allowScripts` says so and
 * lists the others after `npm ci`. Every locked package with an install script has a decision in
 * package.json, so `npm ci` lists none, and the README's install section says what each decision
 * is and why `npm install -g` still lists scripts.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./markdown";

const json = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as Record<string, unknown>;

describe("install scripts (npm 11 allowScripts)", () => {
    const lock = json("package-lock.json") as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
    const allow = (json("package.json").allowScripts ?? {}) as Record<string, boolean>;
    const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([k]) => k.slice(k.lastIndexOf("node_modules/") + "node_modules/".length));

    it("every locked package with an install script has an allowScripts decision in package.json", () => {
        assert.ok(withScripts.length > 0, "the lockfile marks packages with install scripts (hasInstallScript)");
        for (const name of withScripts) {
            assert.strictEqual(typeof allow[name], "boolean", `${name}: allowScripts has no decision, so npm ci lists it as not covered`);
        }
    });

    it("the README explains each decision and the notice of npm install -g", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").replace(/\s+/g, " ");
        for (const [name, allowed] of Object.entries(allow)) {
            assert.ok(readme.includes(`"allowScripts": {"${name}": ${String(allowed)}}`) || readme.includes(`"${name}": ${String(allowed)}`), `the README names the decision for ${name}`);
        }
        assert.match(readme, /`npm install -g` has no project `package\.json` to take `allowScripts` from/);
        assert.match(readme, /pack's own `prepare`/);
    });
});
