import * as assert from "assert";
import { Finding, policyOf, Verdict, WorkloadContext } from "../../policies/frame/frame";
import { policyFor, RULES } from "../../policies/catalogue/index";
import { ALL_KINDS } from "../../policies/workloads";
import { analyze, analyzeStack, UNKNOWN_SENTINEL } from "../harness";

const META = {
    name: "p", description: "d", enforcementLevel: "mandatory" as const, severity: "low" as const,
    tags: [], remediationSteps: "r",
};
const resourcePolicy = (_meta: typeof META, check: (ctx: WorkloadContext) => Verdict) =>
    policyOf({ ...META, subject: { workloads: ALL_KINDS, noun: "models or jobs" }, check });
const stackPolicy = (_meta: typeof META, check: () => Finding[]) => policyOf({ ...META, subject: { stack: true }, check });
const MODEL = { type: "aws:sagemaker/model:Model", name: "m", props: {} };

describe("policy frame", () => {
    it("turns an exception in a resource rule into one advisory note instead of failing the preview", async () => {
        const p = resourcePolicy(META, () => { throw new TypeError("boom"); });
        const d = await analyze(p, MODEL);
        assert.deepStrictEqual(d.map(x => [x.level, x.message]),
            [["advisory", "Cannot check: the policy met an internal error (TypeError); please report it."]]);
    });

    it("reports not applicable without capturing a stack for the SDK's error, and leaves Error.stackTraceLimit as it was", () => {
        const p = resourcePolicy(META, () => ({ notApplicable: "nothing here" }));
        const seen: [string | undefined, number][] = [];
        const before = Error.stackTraceLimit;
        const args = {
            ...MODEL, urn: "urn:pulumi:s::p::aws:sagemaker/model:Model::m", getConfig: () => ({}),
            notApplicable: (reason?: string): never => {
                seen.push([reason, Error.stackTraceLimit]);
                throw new Error(reason);
            },
        };
        assert.throws(() => (p as { validateResource: (a: unknown, r: () => void) => void }).validateResource(args, () => undefined), (e: Error) => e.stack === `Error: nothing here`);
        assert.deepStrictEqual(seen, [["nothing here", 0]]);
        assert.strictEqual(Error.stackTraceLimit, before);
    });

    it("does the same for a stack rule, whatever is thrown", async () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless rule might throw
        const p = stackPolicy(META, () => { throw "a string"; });
        const d = await analyzeStack(p, [{ ...MODEL }]);
        assert.deepStrictEqual(d.map(x => [x.level, x.message]),
            [["advisory", "Cannot check: the policy met an internal error (string); please report it."]]);
    });

    it("does not run the rule for resources that declare no workload", async () => {
        let calls = 0;
        const p = resourcePolicy(META, () => { calls++; return [{ message: "x" }]; });
        assert.deepStrictEqual(await analyze(p, { type: "aws:s3/bucket:Bucket", props: {} }), []);
        assert.deepStrictEqual(await analyze(p, { type: "aws:sagemaker/monitoringSchedule:MonitoringSchedule", props: { monitoringScheduleConfig: { monitoringJobDefinitionName: "x" } } }), []);
        assert.strictEqual(calls, 0);
        assert.strictEqual((await analyze(p, MODEL)).length, 1);
        assert.strictEqual(calls, 1);
    });

    it("reports violations at the policy's level, one line each, at most 1,000 characters", async () => {
        const p = resourcePolicy(META, () => [{ message: "a\nb" }, { message: "x".repeat(5000) }]);
        const d = await analyze(p, MODEL);
        assert.deepStrictEqual(d.map(x => x.level), ["mandatory", "mandatory"]);
        assert.strictEqual(d[0].message, "a b");
        assert.strictEqual(d[1].message.length, 1000);
    });

    it("merges the preview notes of one resource into a single advisory note", async () => {
        const p = resourcePolicy(META, () => [
            { note: true, message: "Cannot check during preview: one" },
            { note: true, message: "Cannot check during preview: two" },
            { note: true, message: "Cannot check during preview: three" },
        ]);
        const merged = await analyze(p, { ...MODEL, props: { enableNetworkIsolation: UNKNOWN_SENTINEL } });
        assert.deepStrictEqual(merged.map(x => [x.level, x.message]),
            [["advisory", "Cannot check during preview: one (and 2 more values not known yet)"]]);
    });
});

describe("policy frame: configuration", () => {
    // The notes are the pack process's state: clear those earlier tests left (the fuzz tests
    // configure the catalogue's policies at random) by running each policy once with no settings.
    before(async () => {
        for (const r of RULES) {
            const type = "types" in r.subject ? r.subject.types[0] : MODEL.type;
            await ("stack" in r.subject ? analyzeStack(policyFor(r), [{ ...MODEL }], {}) : analyze(policyFor(r), { ...MODEL, type }, {}));
        }
    });

    it("an unknown top-level setting (which Pulumi passes on silently) is noted with each stack, by the stack policy, with the closest valid name", async () => {
        const model = policyOf({ ...META, name: "m", subject: { workloads: ALL_KINDS, noun: "models or jobs" }, settings: { frameworks: { type: "array", default: [] } }, check: () => [] });
        const stack = policyOf({ ...META, name: "s", subject: { stack: true }, check: () => [] });
        assert.deepStrictEqual(await analyze(model, MODEL, { framework: ["chainer"], enforcementlevel: "mandatory" }), []);
        // Only this test's policy "m": notes of the catalogue's policies may be left by earlier tests.
        const ofM = (ds: { level: string; message: string }[]) => ds.filter(x => x.message.startsWith("Configuration: m: "));
        const d = ofM(await analyzeStack(stack, [{ ...MODEL }]));
        assert.deepStrictEqual(d.map(x => [x.level, x.message]), [
            ["advisory", 'Configuration: m: unknown setting "framework" (did you mean "frameworks"?); the policy ignores it.'],
            ["advisory", 'Configuration: m: unknown setting "enforcementlevel" (did you mean "enforcementLevel"?); the policy ignores it.'],
        ]);
        assert.strictEqual(ofM(await analyzeStack(stack, [{ ...MODEL }])).length, 2, "with every stack");
        await analyze(model, MODEL, { frameworks: [] });
        assert.deepStrictEqual(ofM(await analyzeStack(stack, [{ ...MODEL }])), [], "a policy configured without mistakes has none");
        await analyze(model, MODEL, { framework: ["chainer"] });
        assert.strictEqual(ofM(await analyzeStack(stack, [{ ...MODEL }])).length, 1);
        await analyze(model, MODEL, {});
        assert.deepStrictEqual(ofM(await analyzeStack(stack, [{ ...MODEL }])), [], "nor one configured with nothing (its earlier notes are dropped)");
    });
});
