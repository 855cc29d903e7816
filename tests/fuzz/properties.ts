/**
 * The properties every policy of the pack must have on any input, run through the SDK's own
 * server functions (tests/harness.ts), and on huge inputs through `extract` directly:
 *
 * - it never throws, and reports no "internal error";
 * - the same input gives the same findings;
 * - no message contains a value marked secret;
 * - no message is longer than 1,000 characters;
 * - a policy answers with diagnostics or "not applicable", never both, and a not-applicable
 *   reason is one line that shows no secret either.
 *
 * `defineFuzzSuites(total)` defines mocha suites that together run at least `total` inputs
 * through each policy, and counts them (`inputCounts`).
 */
import { vpcEndpointsPolicy as vpcEndpoints } from "../rules";
import * as assert from "assert";
import fc from "fast-check";
import { Policy } from "@pulumi/policy";
import { policyFor, RULES } from "../../policies/catalogue/index";
import { extract, Extraction } from "../../policies/workloads";
import { AnalyzeResult, analyzeResource, analyzeStackResult, Diagnostic } from "../harness";
import * as arb from "./arbitraries";

/** Every resource policy of the catalogue (one disabled by default runs at advisory: tests/harness.ts). */
export const RESOURCE_POLICIES: Policy[] = RULES.filter(r => !("stack" in r.subject)).map(policyFor);
export const STACK_POLICY: Policy = vpcEndpoints;

/** Inputs run per policy name (and `extract` for the direct calls), across all suites of this process. */
export const inputCounts = new Map<string, number>();

function count(name: string, n = 1) {
    inputCounts.set(name, (inputCounts.get(name) ?? 0) + n);
}

const MAX_MESSAGE = 1000;

/** The findings' invariants; `secrets` are the tokens of the input's secret values. */
export function checkDiagnostics(ds: Diagnostic[], secrets: string[], what: string): void {
    for (const d of ds) {
        const m = d.message;
        assert.ok(!/internal error/i.test(m), `${what}: internal error reported: ${m}`);
        assert.ok(!m.startsWith("can't run policy"), `${what}: the SDK met an unknown value: ${m}`);
        assert.ok(m.length <= MAX_MESSAGE, `${what}: message of ${m.length} characters: ${m.slice(0, 200)}...`);
        for (const s of secrets) {
            assert.ok(!m.includes(s), `${what}: message reveals secret ${s}: ${m}`);
        }
    }
}

/** The response's invariants: the diagnostics' (checkDiagnostics), and "not applicable" only alone. */
function checkResult(r: AnalyzeResult, secrets: string[], what: string): void {
    checkDiagnostics(r.diagnostics, secrets, what);
    assert.ok(r.diagnostics.length === 0 || r.notApplicable.length === 0, `${what}: diagnostics and not applicable at once`);
    for (const { reason } of r.notApplicable) {
        assert.ok(reason.length <= MAX_MESSAGE && !/[\r\n]/.test(reason), `${what}: not-applicable reason: ${reason.slice(0, 200)}`);
        for (const s of secrets) {
            assert.ok(!reason.includes(s), `${what}: not-applicable reason reveals secret ${s}: ${reason}`);
        }
    }
}

function sameFindings(a: AnalyzeResult, b: AnalyzeResult, what: string) {
    assert.deepStrictEqual(b, a, `${what}: the same input gave different findings`);
}

/** Runs one resource through every resource policy, twice. */
async function checkResource(input: arb.GenResource, config: Record<string, unknown> | undefined): Promise<void> {
    const r = arb.clean(input);
    config = arb.clean(config);
    const secrets = arb.tokensOf(r.props);
    for (const p of RESOURCE_POLICIES) {
        const first = await analyzeResource(p, r, config);
        const again = await analyzeResource(p, r, config);
        checkResult(first, secrets, p.name);
        sameFindings(first, again, p.name);
        count(p.name);
    }
}

async function checkStack(input: arb.GenStackResource[], config: Record<string, unknown> | undefined): Promise<void> {
    const rs = arb.clean(input);
    config = arb.clean(config);
    const secrets = arb.tokensOf(rs.map(r => r.props));
    const first = await analyzeStackResult(STACK_POLICY, rs, config);
    const again = await analyzeStackResult(STACK_POLICY, rs, config);
    checkResult(first, secrets, STACK_POLICY.name);
    sameFindings(first, again, STACK_POLICY.name);
    count(STACK_POLICY.name);
}

function plain(e: Extraction): unknown {
    return JSON.parse(JSON.stringify(e, (_k, v) => typeof v === "symbol" ? String(v) : v));
}

/** `extract` directly: no throw, same result twice, the expected workload found. */
function checkExtract(type: string, props: Record<string, unknown>, expect: (e: Extraction) => void): void {
    const first = extract(type, props);
    const again = extract(type, props);
    assert.deepStrictEqual(plain(again), plain(first));
    expect(first);
    count("extract");
}

const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns: Math.max(1, Math.ceil(numRuns)), endOnFailure: false });

const PIPELINE_TYPES = ["aws:sagemaker/pipeline:Pipeline", "aws-native:sagemaker:Pipeline"];
const SFN_TYPES = ["aws:sfn/stateMachine:StateMachine", "aws-native:stepfunctions:StateMachine"];

/**
 * Suites that run at least `total` inputs through each policy (the suites' shares add up to
 * one for the resource policies and for the stack policy). `huge` is how many huge (10 MB)
 * definitions to extract.
 */
export function defineFuzzSuites(total: number, huge = 2): void {
    const deepRuns = Math.max(2, Math.ceil(total * 0.005));

    describe("resource policies on any resource of any type", () => {
        it("arbitrary, sprinkled and valid property bags", async () => {
            await fc.assert(fc.asyncProperty(arb.resource, arb.resourceConfig, checkResource), params(total * 0.5));
        });
    });

    describe("resource policies on pipelines and state machines", () => {
        it("pipeline definitions: valid, malformed, nested Condition steps, with unknowns and secrets", async () => {
            const r = fc.tuple(fc.constantFrom(...PIPELINE_TYPES), fc.oneof(arb.documentText(arb.pipelineDocument(5)), arb.pipelineDocument(3)), fc.boolean())
                .chain(([type, def, sprinkle]) => {
                    const props = type === "aws-native:sagemaker:Pipeline" ? { pipelineDefinition: { pipelineDefinitionBody: def } } : { pipelineDefinition: def };
                    return (sprinkle ? arb.sprinkle(fc.constant(props), 0.2) : fc.constant(props)).map(p => ({ type, name: "p", props: p as Record<string, unknown> }));
                });
            await fc.assert(fc.asyncProperty(r, arb.resourceConfig, checkResource), params(total * 0.2));
        });

        it("state machine definitions: valid, malformed, nested Parallel/Map states, with unknowns and secrets", async () => {
            const r = fc.tuple(fc.constantFrom(...SFN_TYPES), fc.oneof(arb.documentText(arb.stateMachineDocument(5)), arb.stateMachineDocument(3)), fc.boolean(), arb.substitutions)
                .chain(([type, def, sprinkle, subs]) => {
                    const key = type === SFN_TYPES[1] && typeof def === "string" ? "definitionString" : "definition";
                    const props = type === SFN_TYPES[1] ? { [key]: def, definitionSubstitutions: subs } : { [key]: def };
                    return (sprinkle ? arb.sprinkle(fc.constant(props), 0.2) : fc.constant(props))
                        .map(p => ({ type, name: "sm", props: p as Record<string, unknown> }));
                });
            await fc.assert(fc.asyncProperty(r, arb.resourceConfig, checkResource), params(total * 0.2));
        });

        it("wrong types everywhere on the types the resource policies judge", async () => {
            const r = fc.tuple(fc.constantFrom(...arb.JUDGED_TYPES), arb.plainJson, arb.secretValue)
                .map(([type, v, s]) => ({ type, name: "w", props: typeof v === "object" && v !== null && !Array.isArray(v) ? { ...v, s } : { v, s } }));
            await fc.assert(fc.asyncProperty(r, arb.resourceConfig, checkResource), params(total * 0.1 - deepRuns));
        });

        it("deeply nested definitions (up to 1,000 levels)", async () => {
            const r = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...PIPELINE_TYPES, ...SFN_TYPES, "garbage"), fc.constantFrom<unknown>(false, true, "{% x %}", { Get: "x" }))
                .map(([depth, type, iso]) => {
                    if (type === "garbage") {
                        return { type: PIPELINE_TYPES[0], name: "deep", props: { pipelineDefinition: arb.deepGarbage(depth) } };
                    }
                    if (PIPELINE_TYPES.includes(type)) {
                        const text = arb.deepPipeline(depth, iso);
                        return { type, name: "deep", props: type === PIPELINE_TYPES[0] ? { pipelineDefinition: text } : { pipelineDefinition: { pipelineDefinitionBody: text } } };
                    }
                    return { type, name: "deep", props: { [type === SFN_TYPES[0] ? "definition" : "definitionString"]: arb.deepStateMachine(depth, iso) } };
                });
            await fc.assert(fc.asyncProperty(r, arb.resourceConfig, checkResource), params(deepRuns));
        });
    });

    describe("stack policy on any stack", () => {
        it("stacks of VPCs, subnets, endpoints, workloads and others, with dependencies", async () => {
            await fc.assert(fc.asyncProperty(arb.stack, arb.stackConfig, checkStack), params(total));
        });
    });

    describe("extraction of huge and deep definitions", () => {
        it("1,000 levels of Condition steps and of Parallel/Map states: the bottom workload is found", () => {
            for (const type of PIPELINE_TYPES) {
                const text = arb.deepPipeline(1000);
                const props = type === PIPELINE_TYPES[0] ? { pipelineDefinition: text } : { pipelineDefinition: { pipelineDefinitionBody: text } };
                checkExtract(type, props, e => assert.strictEqual(e.workloads.length, 1));
            }
            for (const type of SFN_TYPES) {
                checkExtract(type, { [type === SFN_TYPES[0] ? "definition" : "definitionString"]: arb.deepStateMachine(1000) },
                    e => assert.strictEqual(e.workloads.length, 1));
            }
            checkExtract(PIPELINE_TYPES[0], { pipelineDefinition: arb.deepGarbage(1000) }, e => assert.strictEqual(e.workloads.length, 0));
            // Deeper than any engine would send: still no stack overflow.
            checkExtract(SFN_TYPES[0], { definition: arb.deepStateMachine(5000) }, e => assert.strictEqual(e.workloads.length, 1));
        });

        it(`huge (10 MB) definitions, valid and truncated`, () => {
            for (let i = 0; i < huge; i++) {
                const pipe = arb.hugePipeline(10 * 1024 * 1024 + i);
                checkExtract(PIPELINE_TYPES[0], { pipelineDefinition: pipe }, e => assert.ok(e.workloads.length > 10000));
                checkExtract(PIPELINE_TYPES[0], { pipelineDefinition: pipe.slice(0, pipe.length - 1) }, e => assert.strictEqual(e.unreadable[0]?.why, "invalid"));
                const sm = arb.hugeStateMachine(10 * 1024 * 1024 + i);
                checkExtract(SFN_TYPES[0], { definition: sm }, e => assert.ok(e.workloads.length > 10000));
                checkExtract(SFN_TYPES[1], { definitionString: sm, definitionSubstitutions: { Name: "x" } }, e => assert.ok(e.workloads.length > 10000));
            }
        });

        it("a huge definition through the SDK path", async () => {
            const r = { type: PIPELINE_TYPES[0], name: "huge", props: { pipelineDefinition: arb.hugePipeline(10 * 1024 * 1024) } };
            for (const p of RESOURCE_POLICIES) {
                const first = await analyzeResource(p, r);
                checkResult(first, [], p.name);
                sameFindings(first, await analyzeResource(p, r), p.name);
            }
        });
    });
}

/** A table of the input counts, for the end of a run. */
export function countsTable(): string {
    const rows = [...inputCounts.entries()].sort(([a], [b]) => a.localeCompare(b));
    const w = Math.max(...rows.map(([k]) => k.length), 6);
    return ["inputs per policy:", ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${String(v).padStart(8)}`)].join("\n");
}
