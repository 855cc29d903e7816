/**
 * docs/github-actions.md is a workflow for today's runners: its YAML parses, every action it uses
 * is pinned to the major version listed here (the current one, on the Node.js 24 runtime), the
 * steps run a Node.js LTS release, the SARIF upload job has the permissions upload-sarif needs,
 * and the page says what code scanning needs on a private repository.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "./markdown";

/**
 * The major version each action is pinned to. Update it (and the page) when an action's next
 * major comes out: upload-sarif v4, checkout v7 and setup-node v7 (Node.js 24 from checkout and
 * setup-node v5), pulumi/actions v7 and configure-aws-credentials v6 (their first majors on Node.js 24).
 */
const ACTIONS: Record<string, string> = {
    "actions/checkout": "v7",
    "actions/setup-node": "v7",
    "pulumi/actions": "v7",
    "aws-actions/configure-aws-credentials": "v6",
    "github/codeql-action/upload-sarif": "v4",
};

/** Node.js release lines in long-term support for the steps to run on. */
const NODE_LTS = [22, 24];

interface Step {
    uses?: string;
    with?: Record<string, unknown>;
}

interface Job {
    permissions?: Record<string, string>;
    steps: Step[];
}

function page(): string {
    return fs.readFileSync(path.join(ROOT, "docs", "github-actions.md"), "utf8");
}

function workflow(): { jobs: Record<string, Job> } {
    const blocks = [...page().matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(m => m[1]);
    assert.strictEqual(blocks.length, 1, "the page has one YAML block, the workflow");
    return parse(blocks[0]) as { jobs: Record<string, Job> };
}

describe("docs/github-actions.md", () => {
    it("pins every action to its current major version", () => {
        const used = Object.values(workflow().jobs).flatMap(j => j.steps).flatMap(s => s.uses === undefined ? [] : [s.uses]);
        assert.ok(used.length > 0, "the workflow uses actions");
        for (const uses of used) {
            const [action, ref] = uses.split("@");
            assert.ok(action in ACTIONS, `${uses}: an action the test knows (add it to ACTIONS with its current major)`);
            assert.strictEqual(ref, ACTIONS[action], `${uses}: pinned to ${action}@${ACTIONS[action]}`);
        }
        assert.deepStrictEqual([...new Set(used.map(u => u.split("@")[0]))].sort(), Object.keys(ACTIONS).sort(), "every listed action is used");
    });

    it("runs the steps on a Node.js LTS release", () => {
        const setups = Object.values(workflow().jobs).flatMap(j => j.steps).filter(s => s.uses?.startsWith("actions/setup-node@"));
        assert.ok(setups.length > 0);
        for (const s of setups) {
            assert.ok(NODE_LTS.includes(Number(s.with?.["node-version"])), `node-version ${String(s.with?.["node-version"])} is one of ${NODE_LTS.join(", ")}`);
        }
    });

    it("gives the job that uploads SARIF security-events: write and actions: read", () => {
        const uploads = Object.entries(workflow().jobs).filter(([, j]) => j.steps.some(s => s.uses?.startsWith("github/codeql-action/upload-sarif@")));
        assert.strictEqual(uploads.length, 1, "one job uploads SARIF");
        const [name, job] = uploads[0];
        assert.strictEqual(job.permissions?.["security-events"], "write", `${name}: security-events: write`);
        assert.strictEqual(job.permissions?.["actions"], "read", `${name}: actions: read`);
        assert.strictEqual(job.permissions?.["contents"], "read", `${name}: contents: read`);
    });

    it("says code scanning on a private repository needs GitHub Code Security", () => {
        assert.match(page().replace(/\s+/g, " "), /On a private repository, uploading SARIF needs GitHub Code Security/);
    });
});
