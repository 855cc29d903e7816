/** docs/parity.md names, for each AWS control, a failing and a passing fixture case: each must exist in its policy's fixture. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../policies/catalogue/index";
import { FixtureFile } from "./policies/fixtures";

const ROOT = path.join(__dirname, "..");

describe("docs/parity.md", () => {
    it("names fixture cases that exist, in the fixture of the policy it names", () => {
        const rows = fs.readFileSync(path.join(ROOT, "docs", "parity.md"), "utf8").split("\n").filter(l => l.startsWith("| ") && !l.startsWith("| control"));
        assert.ok(rows.length >= 15, `${rows.length} rows`);
        const names = RULES.map(r => r.name);
        for (const row of rows) {
            const cells = row.replace(/^\| | \|$/g, "").split(" | ").map(c => c.trim().replace(/^`|`$/g, ""));
            const [policy, failing, passing] = cells.slice(3, 6);
            assert.ok(names.includes(policy), `${row}: ${policy} is not a policy of the pack`);
            const file = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "policies", "fixtures", `${policy}.json`), "utf8")) as FixtureFile;
            const cases = [...file.cases.map(c => c.name), ...Object.keys(file.baselines ?? {}).map(b => `baseline ${b} passes`)];
            for (const name of [failing, passing]) {
                assert.ok(cases.includes(name), `${policy}: no fixture case "${name}"`);
            }
            const failCase = file.cases.find(c => c.name === failing);
            assert.ok(failCase && failCase.expect && failCase.expect.length > 0 && !failCase.notApplicable, `${policy}: "${failing}" expects a finding`);
        }
    });
});
