/**
 * Expectations on the check command's reports that hold whatever other policies the catalogue
 * holds: the outcomes of the policies a test names, "not applicable" from every policy whose
 * subject does not cover the resource (tests/subjects.ts), and scores and counts computed from
 * the per-resource results of the JSON report with the documented formulas (docs/design.md,
 * "Policy results in Pulumi Cloud"), never written out as numbers.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyResult, Score, score, Scores } from "../../cli/engine/results";
import { STACK_TYPE } from "../../cli/inputs/engine-value";
import { ENABLED_RESOURCE_POLICIES, notCovering } from "../subjects";
import { ROOT, run } from "./run";
import { EXAMPLES, exportOf } from "./check-common";

/** A result as the JSON report writes it (the engine's PolicyResult, without what these tests do not read). */
export type JsonResult = Pick<PolicyResult, "policyName" | "urn" | "resourceName" | "resourceType" | "outcome">;

export interface JsonFinding {
    policyName: string;
    level: string;
    resourceName: string;
    urn: string;
    message: string;
}

export interface JsonStack {
    stack: string;
    project: string;
    file: string;
    resources: number;
    scores: Scores;
    findings: JsonFinding[];
    results: JsonResult[];
    remediated: unknown[];
}

/**
 * A stack's two scores from its results: of the policies that passed or failed somewhere, those
 * that failed nowhere (passed = applicable − failed); of the resources some policy passed or
 * failed (the stack's own results aside), those no policy failed on.
 */
export function scoresOf(results: JsonResult[]): Scores {
    const judged = results.filter(r => r.outcome === "passed" || r.outcome === "failed");
    const failed = judged.filter(r => r.outcome === "failed");
    const applicable = new Set(judged.map(r => r.policyName));
    const failing = new Set(failed.map(r => r.policyName));
    const governed = new Set(judged.filter(r => r.resourceType !== STACK_TYPE).map(r => r.urn));
    const failedOn = new Set(failed.filter(r => r.resourceType !== STACK_TYPE).map(r => r.urn));
    return { policies: score(applicable.size - failing.size, applicable.size), resources: score(governed.size - failedOn.size, governed.size) };
}

/** Several stacks' scores together: parts and wholes summed (a policy counts once per stack it applies to). */
export function totalOf(stacks: Scores[]): Scores {
    const sum = (pick: (s: Scores) => Score) => score(stacks.reduce((n, s) => n + pick(s).part, 0), stacks.reduce((n, s) => n + pick(s).whole, 0));
    return { policies: sum(s => s.policies), resources: sum(s => s.resources) };
}

const pct = (s: Score) => s.percent === null ? "n/a" : `${s.percent}%`;

/** The text report's score line for these scores (`total`: of several stacks). */
export function scoreLine(s: Scores, total = false): string {
    return `Policy compliance ${pct(s.policies)} (${s.policies.part} of ${s.policies.whole} ${total ? "stack × policy results" : "applicable policies"} passing), ` +
        `resource compliance ${pct(s.resources)} (${s.resources.part} of ${s.resources.whole} governed resources compliant)`;
}

/** The Markdown summary table's row of a stack, from the JSON report's stack. */
export function stackRow(s: JsonStack): string {
    const n = (level: string) => s.findings.filter(f => f.level === level).length;
    const exempted = s.results.filter(r => r.outcome === "exempted").length;
    return `| \`${s.stack}\` | \`${s.project}\` | \`${s.file}\` | ${s.resources} | ${n("mandatory")} | ${n("advisory")} | ${exempted} | ${s.remediated.length} | ` +
        `${pct(s.scores.policies)} | ${pct(s.scores.resources)} |`;
}

export interface JsonReport {
    policyPack: unknown;
    config: Record<string, Record<string, unknown>>;
    stacks: JsonStack[];
    summary: Record<string, unknown>;
}

let examplesRun: Promise<{ code: number; doc: JsonReport }> | undefined;

/** The JSON report of all examples at once (run once per test process). */
export function examplesReport(): Promise<{ code: number; doc: JsonReport }> {
    examplesRun ??= run(["--format", "json", ...EXAMPLES.map(exportOf)]).then(r => {
        assert.strictEqual(r.stderr, "");
        return { code: r.code, doc: JSON.parse(r.stdout) };
    });
    return examplesRun;
}

/** A resource of a stack export (a path from the repository's root or absolute): its type and inputs. */
export function resourceOf(file: string, name: string, type?: string): { type: string; props: Record<string, unknown> } {
    const doc = JSON.parse(fs.readFileSync(path.resolve(ROOT, file), "utf8"));
    const found = (doc.deployment.resources as { urn: string; type: string; inputs?: Record<string, unknown> }[])
        .filter(r => r.urn.endsWith(`::${name}`) && (type === undefined || r.type === type));
    assert.strictEqual(found.length, 1, `one resource ${name} in ${file}`);
    return { type: found[0].type, props: found[0].inputs ?? {} };
}

/**
 * One resource's results: one per policy of `enabled`; the policies of `given` with their
 * outcomes; every other policy whose subject does not cover the resource not applicable.
 * Policies that cover it and that the test does not name (a new policy over the same type) may
 * answer anything.
 */
export function expectOutcomes(results: JsonResult[], res: { type: string; props: Record<string, unknown> }, given: Record<string, string>,
    enabled: readonly string[] = ENABLED_RESOURCE_POLICIES): void {
    const got = Object.fromEntries(results.map(r => [r.policyName, r.outcome]));
    const others = notCovering(res.type, res.props, enabled).filter(p => !(p in given));
    assert.deepStrictEqual({
        answered: results.map(r => r.policyName).sort(),
        named: Object.fromEntries(Object.keys(given).map(p => [p, got[p]])),
        others: Object.fromEntries(others.map(p => [p, got[p]])),
    }, {
        answered: [...enabled].sort(), named: given, others: Object.fromEntries(others.map(p => [p, "not-applicable"])),
    }, JSON.stringify(got));
}

/** The rows of the Markdown report's "Results by resource" tables: resource name, type, and a cell per policy column. */
export function auditRows(md: string): { name: string; type: string; cells: Record<string, string> }[] {
    const rows: { name: string; type: string; cells: Record<string, string> }[] = [];
    const lines = md.split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (!lines[i].startsWith("| Resource | Type | ")) {
            continue;
        }
        const columns = lines[i].split(" | ").slice(2).map(c => c.replace(/^`|`( \|)?$/g, ""));
        for (i += 2; i < lines.length && lines[i].startsWith("| "); i++) {
            const cells = lines[i].slice(2, -2).split(" | ");
            rows.push({ name: cells[0].slice(1, -1), type: cells[1].slice(1, -1), cells: Object.fromEntries(columns.map((c, j) => [c, cells[j + 2]])) });
        }
    }
    return rows;
}

/**
 * The Markdown audit row of a resource: a column per policy of `enabled`, the cells of `given`,
 * "n/a" from every other policy whose subject does not cover the resource.
 */
export function expectAuditRow(md: string, name: string, res: { type: string; props: Record<string, unknown> }, given: Record<string, string>,
    enabled: readonly string[] = ENABLED_RESOURCE_POLICIES): void {
    const rows = auditRows(md).filter(r => r.name === name && r.type === res.type);
    assert.strictEqual(rows.length, 1, `one audit row for ${name}`);
    const { cells } = rows[0];
    const others = notCovering(res.type, res.props, enabled).filter(p => !(p in given));
    assert.deepStrictEqual({
        columns: Object.keys(cells),
        named: Object.fromEntries(Object.keys(given).map(p => [p, cells[p]])),
        others: Object.fromEntries(others.map(p => [p, cells[p]])),
    }, { columns: [...enabled], named: given, others: Object.fromEntries(others.map(p => [p, "n/a"])) }, `${name}: ${JSON.stringify(cells)}`);
}
