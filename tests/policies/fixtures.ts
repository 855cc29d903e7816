/**
 * Data-driven policy tests: each policy's cases live in fixtures/<policy-name>.json and run
 * through the SDK's real server functions (../harness). JSON cannot hold the engine's
 * unknowns and secret envelopes readably, so fixtures use markers this loader converts:
 *
 * - `"<<unknown>>"`            → the engine's unknown value (UNKNOWN_SENTINEL)
 * - `{"<<secret>>": value}`    → the engine's secret envelope around `value`
 * - `{"<<json>>": value}`      → `value` as a JSON string (pipeline and state machine definitions)
 *
 * A fixture file is `{"baselines": {...}, "cases": [...]}`. A baseline is a compliant subject,
 * `{"type", "props"}` (resource policies) or `{"resources"}` (stack policy); the loader runs each
 * as a case named `baseline <id> passes` that expects no diagnostic and no not-applicable result,
 * and every baseline must be used. A case either gives its subject in full (`type`/`props`, or
 * `resources`) or says `"from": "<id>"` and how it differs from that baseline, applied in this
 * order to a copy of it:
 *
 * - `"remove": ["<name>", ...]`   (stack) drops the baseline's resources of these names
 * - `"unset": ["<path>", ...]`    deletes these object keys (each must exist)
 * - `"set": {"<path>": value}`    replaces or adds the value at the path (its parent must exist;
 *                                  an array index may be the array's length, to append)
 * - `"add": [resource, ...]`      (stack) appends these resources
 *
 * A path addresses the props of a resource baseline (`primaryContainer.image`,
 * `containers[1].environment.X`) and, in a stack baseline, starts with a resource's name
 * (`model.props.vpcConfig.subnets`). `.key` is an object key of any characters but `.`, `[`, `]`
 * and `"`; `[2]` is an array index; `["any key"]` is an object key written as a JSON string (keys
 * with those characters, or empty). Paths apply before the markers are decoded, so a value may be
 * a marker and a path may step into one (`definition.<<json>>.Steps[0]`). Besides its subject a
 * case has `name`, `expect`, and optionally `config`, `resourceName` and `notApplicable`.
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
import { diagnosticKind } from "../../policies/values/wire";
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

/** A compliant subject cases start from: a resource (`type`, `props`) or a stack (`resources`). */
export interface Baseline {
    type?: string;
    props?: Record<string, unknown>;
    resources?: StackResource[];
}

/** A case as written in a fixture file: in full, or `from` a baseline with changes. */
export interface FixtureCase extends Partial<Case> {
    name: string;
    from?: string;
    set?: Record<string, unknown>;
    unset?: string[];
    add?: StackResource[];
    remove?: string[];
}

export interface FixtureFile {
    baselines?: Record<string, Baseline>;
    cases: FixtureCase[];
}

export type PathSegment = string | number;

const PLAIN = /^[^.[\]"]+/;
const INDEX = /^\[(0|[1-9][0-9]*)\]/;
const QUOTED = /^\[("(?:[^"\\]|\\.)*")\]/;

/** Parses `a.b[0]["c.d"]` into ["a", "b", 0, "c.d"] (see the header for the syntax). */
export function parsePath(p: string): PathSegment[] {
    const segs: PathSegment[] = [];
    let rest = p;
    while (rest.length > 0) {
        let m: RegExpExecArray | null;
        if ((m = INDEX.exec(rest))) {
            segs.push(Number(m[1]));
        } else if ((m = QUOTED.exec(rest))) {
            segs.push(JSON.parse(m[1]) as string);
        } else if (segs.length === 0 && (m = PLAIN.exec(rest))) {
            segs.push(m[0]);
        } else if (segs.length > 0 && rest[0] === "." && (m = PLAIN.exec(rest.slice(1)))) {
            segs.push(m[0]);
            rest = rest.slice(1);
        } else {
            throw new Error(`bad path ${JSON.stringify(p)} at ${JSON.stringify(rest)}`);
        }
        rest = rest.slice(m[0].length);
    }
    assert.ok(segs.length > 0, `empty path`);
    return segs;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The container a path's last segment is in; every step before it must exist. */
function parentOf(root: unknown, segs: PathSegment[], p: string): unknown {
    let v = root;
    for (const s of segs.slice(0, -1)) {
        if (typeof s === "number") {
            assert.ok(Array.isArray(v) && s < v.length, `path ${p}: no element [${s}]`);
            v = v[s];
        } else {
            assert.ok(isObject(v) && Object.prototype.hasOwnProperty.call(v, s), `path ${p}: no key ${JSON.stringify(s)}`);
            v = v[s];
        }
    }
    return v;
}

function setPath(root: unknown, segs: PathSegment[], value: unknown, p: string): void {
    const parent = parentOf(root, segs, p);
    const last = segs[segs.length - 1];
    if (typeof last === "number") {
        assert.ok(Array.isArray(parent) && last <= parent.length, `path ${p}: cannot set element [${last}]`);
        parent[last] = structuredClone(value);
    } else {
        assert.ok(isObject(parent), `path ${p}: cannot set key ${JSON.stringify(last)} of a non-object`);
        parent[last] = structuredClone(value);
    }
}

function unsetPath(root: unknown, segs: PathSegment[], p: string): void {
    const parent = parentOf(root, segs, p);
    const last = segs[segs.length - 1];
    assert.ok(typeof last === "string" && isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last), `unset ${p}: no such key`);
    delete parent[last];
}

const CASE_KEYS = new Set(["name", "type", "resourceName", "props", "resources", "config", "expect", "notApplicable", "from", "set", "unset", "add", "remove"]);

/** The case a fixture case stands for: its baseline with its changes applied (markers still encoded). */
export function expandCase(c: FixtureCase, baselines: Record<string, Baseline>): Case {
    for (const k of Object.keys(c)) {
        assert.ok(CASE_KEYS.has(k), `${c.name}: unknown key ${k}`);
    }
    const { from, set, unset, add, remove, ...rest } = c;
    if (from === undefined) {
        assert.ok(set === undefined && unset === undefined && add === undefined && remove === undefined, `${c.name}: set/unset/add/remove need "from"`);
        return rest as Case;
    }
    const b = baselines[from];
    assert.ok(b !== undefined, `${c.name}: no baseline ${from}`);
    assert.ok(rest.type === undefined && rest.props === undefined && rest.resources === undefined, `${c.name}: a case "from" a baseline gives no type, props or resources`);
    const out = { ...rest } as Case;
    if (b.resources) {
        let resources = structuredClone(b.resources);
        for (const n of remove ?? []) {
            assert.strictEqual(resources.filter(r => r.name === n).length, 1, `${c.name}: remove ${n}: not one resource of that name`);
            resources = resources.filter(r => r.name !== n);
        }
        const apply = (p: string, f: (r: StackResource, segs: PathSegment[]) => void) => {
            const [n, ...segs] = parsePath(p);
            const rs = resources.filter(r => r.name === n);
            assert.ok(rs.length === 1 && segs.length > 0, `${c.name}: path ${p} names no one resource's field`);
            f(rs[0], segs);
        };
        for (const p of unset ?? []) {
            apply(p, (r, segs) => unsetPath(r, segs, p));
        }
        for (const [p, v] of Object.entries(set ?? {})) {
            apply(p, (r, segs) => setPath(r, segs, v, p));
        }
        out.resources = [...resources, ...structuredClone(add ?? [])];
    } else {
        assert.ok(add === undefined && remove === undefined, `${c.name}: add/remove need a stack baseline`);
        assert.ok(b.type !== undefined, `baseline ${from}: needs type and props, or resources`);
        const props = structuredClone(b.props ?? {});
        for (const p of unset ?? []) {
            unsetPath(props, parsePath(p), p);
        }
        for (const [p, v] of Object.entries(set ?? {})) {
            setPath(props, parsePath(p), v, p);
        }
        out.type = b.type;
        out.props = props;
    }
    return out;
}

/** The case that asserts a baseline is compliant: no diagnostic, and the policy applies. */
export function baselineCase(id: string, b: Baseline): Case {
    return b.resources ? { name: `baseline ${id} passes`, resources: b.resources, expect: [] }
        : { name: `baseline ${id} passes`, type: b.type, props: b.props, expect: [] };
}

/** The baselines' cases first, then every case expanded. */
export function loadCases(file: string): Case[] {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as FixtureFile;
    assert.ok(isObject(data) && Array.isArray(data.cases) && data.cases.length > 0, `${file} holds no cases`);
    for (const k of Object.keys(data)) {
        assert.ok(k === "baselines" || k === "cases", `${file}: unknown key ${k}`);
    }
    const baselines = data.baselines ?? {};
    const used = new Set(data.cases.map(c => c.from));
    const cases: Case[] = [];
    for (const [id, b] of Object.entries(baselines)) {
        assert.ok(used.has(id), `${file}: baseline ${id} is used by no case`);
        assert.ok((b.resources !== undefined) !== (b.type !== undefined), `baseline ${id}: needs type and props, or resources`);
        if (b.resources) {
            const names = b.resources.map(r => r.name);
            assert.strictEqual(new Set(names).size, names.length, `baseline ${id}: resource names must be unique`);
        }
        cases.push(baselineCase(id, b));
    }
    cases.push(...data.cases.map(c => expandCase(c, baselines)));
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
        if (diagnosticKind(d.message) === "preview-note") {
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
