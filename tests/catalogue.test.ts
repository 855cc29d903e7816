/**
 * The catalogue is the one list of policies: every list derived from it has every policy, and
 * nothing names a policy the catalogue does not have. Adding a rule file without its fixture,
 * test, section in docs/policies.md or row in the README's policy table fails here.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { anchors } from "./docs/markdown";
import { isolationRule, PACK_NAME, policies, recordsRule, RULES, typeRule } from "../policies/catalogue/index";
import { ALL_KINDS, Kind, KIND_NOUNS } from "../policies/workloads";

const ROOT = path.resolve(__dirname, "..");
const read = (...p: string[]) => fs.readFileSync(path.join(ROOT, ...p), "utf8");

describe("catalogue (policies/catalogue/index.ts)", () => {
    const names = RULES.map(r => r.name);

    it("finds every rule file, each named after its policy, each policy once", () => {
        const files = fs.readdirSync(path.join(ROOT, "policies", "rules")).filter(f => f.endsWith(".ts")).map(f => f.slice(0, -3)).sort();
        assert.deepStrictEqual([...names].sort(), files);
        assert.strictEqual(new Set(names).size, names.length);
        assert.deepStrictEqual(policies.map(p => p.name), names);
    });

    it("every policy has its fixture, its test, its section in docs/policies.md and its README policy table row", () => {
        const readme = read("README.md");
        const reference = read("docs", "policies.md");
        for (const r of RULES) {
            const fixture = JSON.parse(read("tests", "policies", "fixtures", `${r.name}.json`)) as { cases?: unknown[] };
            assert.ok(Array.isArray(fixture.cases) && fixture.cases.length > 0, `${r.name}: fixture has cases`);
            assert.ok(read("tests", "policies", `${r.name}.test.ts`).includes(`policies/rules/${r.name}"`), `${r.name}: test runs its rule`);
            assert.ok(reference.includes(`\n### ${r.name}\n`), `${r.name}: section in docs/policies.md`);
            const kind = "stack" in r.subject ? "stack" : "resource";
            const level = r.enforcementLevel === "mandatory" ? "**mandatory**" : r.enforcementLevel;
            // The row may carry an anchor of the policy's name (where the policy's url may point).
            const row = `[\`${r.name}\`](docs/policies.md#${r.name}) | ${kind} | ${level} |`;
            assert.ok(readme.includes(`\n| ${row}`) || readme.includes(`\n| <a id="${r.name}"></a>${row}`),
                `${r.name}: README policy table row (${kind}, ${level}), linking to its section in docs/policies.md`);
        }
    });

    it("every policy's documentation link (its url) names a file of the repository and an anchor it has", () => {
        for (const p of policies) {
            const [file, anchor] = (p.url ?? "").split("#");
            assert.ok(file.endsWith(".md") && fs.existsSync(path.join(ROOT, file)), `${p.name}: url ${p.url} names a Markdown file of the repository`);
            assert.ok(anchors(read(file)).has(anchor), `${p.name}: ${file} has the anchor #${anchor}`);
        }
    });

    it("every workload kind has one isolation rule (the check command's evidence counts records by it)", () => {
        for (const kind of ALL_KINDS) {
            const judges = RULES.filter(r => "workloads" in r.subject && r.subject.isolation === true && r.subject.workloads.includes(kind));
            assert.strictEqual(judges.length, 1, kind);
            assert.strictEqual(isolationRule(kind), judges[0]);
        }
    });

    it("every resource type a rule names has one rule the check command judges its AWS records by", () => {
        const types = new Set(RULES.flatMap(r => "types" in r.subject ? r.subject.types : []));
        assert.ok(types.size > 0);
        for (const type of types) {
            const judges = RULES.filter(r => "types" in r.subject && r.subject.types.includes(type) && r.subject.records === true);
            assert.strictEqual(judges.length, 1, type);
            assert.strictEqual(typeRule(type), judges[0]);
        }
    });

    it("every workload kind has one rule the check command judges its AWS records by: its isolation rule, or the one whose records name it", () => {
        for (const kind of Object.keys(KIND_NOUNS) as Kind[]) {
            const judges = RULES.filter(r => "workloads" in r.subject && r.subject.workloads.includes(kind) &&
                (r.subject.isolation === true || (r.subject.records ?? []).includes(kind)));
            assert.strictEqual(judges.length, 1, `${kind}: ${judges.map(r => r.name).join(", ")}`);
            assert.strictEqual(recordsRule(kind), judges[0]);
        }
        for (const r of RULES) {
            const named = "workloads" in r.subject ? r.subject.records ?? [] : [];
            assert.ok(named.every(k => "workloads" in r.subject && r.subject.workloads.includes(k)), `${r.name}: records names only kinds it judges`);
        }
    });

    it("the stage configurations name only the catalogue's policies", () => {
        for (const file of fs.readdirSync(path.join(ROOT, "config"))) {
            const config = JSON.parse(read("config", file)) as Record<string, unknown>;
            for (const key of Object.keys(config)) {
                assert.ok(key === "all" || names.includes(key), `config/${file}: ${key} is not a policy of ${PACK_NAME}`);
            }
        }
    });
});
