/**
 * Data-driven policy tests: each policy's cases live in fixtures/<policy-name>.json and run
 * through the SDK's real server functions (../harness). JSON cannot hold the engine's
 * unknowns and secret envelopes readably, so fixtures use markers this loader converts:
 *
 * - `"<<unknown>>"`            → the engine's unknown value (UNKNOWN_SENTINEL)
 * - `{"<<secret>>": value}`    → the engine's secret envelope around `value`
 * - `{"<<json>>": value}`      → `value` as a JSON string (pipeline and state machine definitions)
 *
 * Every case asserts the exact number of diagnostics, and for each expected entry (in order)
 * that the diagnostic contains the substring and has the level. A case with `notApplicable`
 * expects no diagnostic and a not-applicable result whose reason contains that text; any other
 * case expects no not-applicable result (no diagnostic then means the subject passed). Every case also checks the
 * pack's invariants: no secret text and no unknown sentinel in any message, at most one
 * preview note per resource and it is advisory, messages name the resource, no internal error.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policy } from "@pulumi/policy";
import { AnalyzeResult, analyzeResource, analyzeStackResult, Diagnostic, secret, StackResource, UNKNOWN_SENTINEL } from "../harness";

export interface Expectation {
    contains: string;
    level: "advisory" | "mandatory";
    /** Stack policies: the logical name of the resource the diagnostic is about. */
    resource?: string;
}

export interface Case {
    name: string;
    type?: string;
    /** Logical name of the resource under test (default "subject"). */
    resourceName?: string;
    props?: Record<string, unknown>;
    resources?: StackResource[];
    config?: Record<string, unknown>;
    expect: Expectation[];
    /** The policy does not apply: its reason contains this text. */
    notApplicable?: string;
}

const PREVIEW = "Cannot check during preview:";

/** Converts the markers; collects the texts of secrets so no message may contain them. */
export function decode(v: unknown, secrets: string[]): unknown {
    if (v === "<<unknown>>") {
        return UNKNOWN_SENTINEL;
    }
    if (Array.isArray(v)) {
        return v.map(x => decode(x, secrets));
    }
    if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        if (keys.length === 1 && keys[0] === "<<secret>>") {
            const inner = decode(o["<<secret>>"], secrets);
            const text = typeof inner === "string" ? inner : JSON.stringify(inner);
            if (text.length >= 6) {
                secrets.push(text);
            }
            return secret(inner);
        }
        if (keys.length === 1 && keys[0] === "<<json>>") {
            return JSON.stringify(decode(o["<<json>>"], secrets));
        }
        return Object.fromEntries(keys.map(k => [k, decode(o[k], secrets)]));
    }
    return v;
}

export function loadCases(file: string): Case[] {
    const cases = JSON.parse(fs.readFileSync(file, "utf8")) as Case[];
    assert.ok(Array.isArray(cases) && cases.length > 0, `${file} holds no cases`);
    const names = new Set<string>();
    for (const c of cases) {
        assert.ok(typeof c.name === "string" && !names.has(c.name), `duplicate or missing case name: ${c.name}`);
        names.add(c.name);
        assert.ok(Array.isArray(c.expect), `${c.name}: expect must be an array`);
    }
    return cases;
}

/** Asserts what every diagnostic of the pack must satisfy, whatever the case. */
export function checkInvariants(ds: Diagnostic[], secrets: string[], subjects: string[]): void {
    const previewPerUrn = new Map<string, number>();
    for (const d of ds) {
        assert.ok(!d.message.includes(UNKNOWN_SENTINEL), `message shows the unknown sentinel: ${d.message}`);
        assert.ok(!/internal error/i.test(d.message), `policy met an internal error: ${d.message}`);
        for (const s of secrets) {
            assert.ok(!d.message.includes(s), `message reveals a secret: ${d.message}`);
        }
        if (d.message.startsWith(PREVIEW)) {
            assert.strictEqual(d.level, "advisory", `preview note must be advisory: ${d.message}`);
            previewPerUrn.set(d.urn, (previewPerUrn.get(d.urn) ?? 0) + 1);
        }
        assert.ok(subjects.some(n => d.message.includes(`${n}:`)), `message names no resource of ${subjects.join(", ")}: ${d.message}`);
    }
    for (const [urn, n] of previewPerUrn) {
        assert.ok(n <= 1, `${n} preview notes for ${urn || "the resource"}`);
    }
}

function show(ds: Diagnostic[]): string {
    return ds.length === 0 ? "(none)" : ds.map((d, i) => `  [${i}] ${d.level}: ${d.message}`).join("\n");
}

export function checkExpectations(ds: Diagnostic[], expect: Expectation[]): void {
    assert.strictEqual(ds.length, expect.length, `expected ${expect.length} diagnostic(s), got ${ds.length}:\n${show(ds)}`);
    expect.forEach((e, i) => {
        const d = ds[i];
        assert.ok(d.message.includes(e.contains), `diagnostic ${i} should contain ${JSON.stringify(e.contains)}:\n${show(ds)}`);
        assert.strictEqual(d.level, e.level, `diagnostic ${i} level:\n${show(ds)}`);
        if (e.resource !== undefined) {
            assert.ok(d.urn.endsWith(`::${e.resource}`), `diagnostic ${i} should be about ${e.resource}, is about ${d.urn}`);
        }
    });
}

/** Asserts the not-applicable part of a response: none, or one entry of `policy` whose reason contains `reason`. */
export function checkApplicability(result: AnalyzeResult, policyName: string, reason: string | undefined): void {
    const na = result.notApplicable;
    if (reason === undefined) {
        assert.deepStrictEqual(na, [], "the policy should apply (pass or fail), not report itself not applicable");
        return;
    }
    assert.deepStrictEqual(result.diagnostics, [], "a not-applicable result comes without diagnostics");
    assert.strictEqual(na.length, 1, `expected one not-applicable result, got ${JSON.stringify(na)}`);
    assert.strictEqual(na[0].policyName, policyName);
    assert.ok(na[0].reason.includes(reason), `not-applicable reason ${JSON.stringify(na[0].reason)} should contain ${JSON.stringify(reason)}`);
}

/** Runs one case of a resource policy (`props`) or of a stack policy (`resources`). */
export async function runCase(policy: Policy, c: Case): Promise<Diagnostic[]> {
    const secrets: string[] = [];
    let result: AnalyzeResult;
    let subjects: string[];
    if (c.resources) {
        const resources = decode(c.resources, secrets) as StackResource[];
        result = await analyzeStackResult(policy, resources, c.config);
        subjects = resources.map(r => r.name);
    } else {
        assert.ok(c.type, `${c.name}: a resource case needs a type`);
        const name = c.resourceName ?? "subject";
        result = await analyzeResource(policy, { type: c.type, name, props: decode(c.props ?? {}, secrets) as Record<string, unknown> }, c.config);
        subjects = [name];
    }
    const ds = result.diagnostics;
    for (const d of ds) {
        assert.strictEqual(d.policyName, policy.name);
    }
    checkInvariants(ds, secrets, subjects);
    checkExpectations(ds, c.expect);
    checkApplicability(result, policy.name, c.notApplicable);
    return ds;
}

/** Registers one mocha test per case of fixtures/<policy name>.json. */
export function describeFixtures(policy: Policy): void {
    const file = path.join(__dirname, "fixtures", `${policy.name}.json`);
    describe(`${policy.name} (fixtures)`, () => {
        for (const c of loadCases(file)) {
            it(c.name, async () => {
                await runCase(policy, c);
            });
        }
    });
}
