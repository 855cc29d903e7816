/** The extraction layer on its own: paths, deep nesting, the document cache, substitutions. */
import * as assert from "assert";
import * as v8 from "v8";
import * as vm from "vm";
import { extract, Workload } from "../../policies/workloads";
import { isolationName } from "../harness";
import { DYNAMIC, UNKNOWN } from "../../policies/values/values";
import { UNKNOWN_SENTINEL as SENTINEL } from "../../policies/values/sentinels";

const PIPELINE = "aws:sagemaker/pipeline:Pipeline";
const SFN = "aws:sfn/stateMachine:StateMachine";
const NSFN = "aws-native:stepfunctions:StateMachine";

const pipeline = (steps: unknown[]) => JSON.stringify({ Version: "2020-12-01", Steps: steps });
const summary = (ws: Workload[]) => ws.map(w => `${w.kind} ${isolationName(w.isolation)} ${w.isolationPath}`);

/**
 * Runs `body` with JSON.parse counting its calls in `parses.count` (which the body may reset);
 * `parsed` is shown each document parsed.
 */
function countingParses(body: (parses: { count: number }) => void, parsed?: (doc: unknown) => void): void {
    const parse = JSON.parse;
    const parses = { count: 0 };
    JSON.parse = ((text: string, reviver?: (k: string, v: unknown) => unknown) => {
        parses.count++;
        const doc: unknown = parse(text, reviver);
        parsed?.(doc);
        return doc;
    }) as typeof JSON.parse;
    try {
        body(parses);
    } finally {
        JSON.parse = parse;
    }
}

/**
 * The text of a Condition step nesting `inner` `depth` levels deep, alternating IfSteps and
 * ElseSteps (built as text: JSON.stringify itself recurses).
 */
function nested(depth: number, inner: unknown): string {
    let text = JSON.stringify(inner);
    for (let i = depth - 1; i >= 0; i--) {
        const [ifs, elses] = i % 2 === 0 ? [text, ""] : ["", text];
        text = `{"Name":"C${i}","Type":"Condition","Arguments":{"Conditions":[],"IfSteps":[${ifs}],"ElseSteps":[${elses}]}}`;
    }
    return text;
}

describe("workload extraction", () => {
    it("names pipeline steps by index and name in the isolation path", () => {
        const def = pipeline([
            { Name: "Prep", Type: "Processing", Arguments: {} },
            { Name: "Eval", Type: "Processing", Arguments: { NetworkConfig: { EnableNetworkIsolation: true } } },
            { Name: "Train", Type: "Training", Arguments: { EnableNetworkIsolation: false } },
        ]);
        const { workloads, unreadable } = extract(PIPELINE, { pipelineDefinition: def });
        assert.deepStrictEqual(unreadable, []);
        assert.deepStrictEqual(summary(workloads), [
            "processing absent pipelineDefinition.Steps[0](Prep).Arguments.NetworkConfig.EnableNetworkIsolation",
            "processing on pipelineDefinition.Steps[1](Eval).Arguments.NetworkConfig.EnableNetworkIsolation",
            "training off pipelineDefinition.Steps[2](Train).Arguments.EnableNetworkIsolation",
        ]);
    });

    it("classifies Get, unknown and secret-free values and records container paths", () => {
        const def = pipeline([{
            Name: "Train", Type: "Training", Arguments: {
                EnableNetworkIsolation: { Get: "Parameters.Iso" },
                AlgorithmSpecification: { TrainingImage: { Get: "Parameters.Image" }, AlgorithmName: "arn:aws:sagemaker:us-east-1:865070037744:algorithm/x" },
                HyperParameters: { sagemaker_submit_directory: "\"s3://b/k\"" },
                VpcConfig: { Subnets: ["subnet-1", { Get: "Parameters.Subnet" }] },
            },
        }]);
        const [w] = extract(PIPELINE, { pipelineDefinition: def }).workloads;
        assert.strictEqual(isolationName(w.isolation), "dynamic");
        assert.deepStrictEqual(w.containers, [{
            path: "pipelineDefinition.Steps[0](Train).Arguments",
            image: { path: "pipelineDefinition.Steps[0](Train).Arguments.AlgorithmSpecification.TrainingImage", value: DYNAMIC },
            source: { path: "pipelineDefinition.Steps[0](Train).Arguments.AlgorithmSpecification.AlgorithmName", value: "arn:aws:sagemaker:us-east-1:865070037744:algorithm/x" },
            codeFromS3: "pipelineDefinition.Steps[0](Train).Arguments.HyperParameters.sagemaker_submit_directory",
        }]);
        assert.deepStrictEqual(w.vpc, { path: "pipelineDefinition.Steps[0](Train).Arguments.VpcConfig", subnets: ["subnet-1", DYNAMIC] });
        const unknown = extract("aws:sagemaker/model:Model", { enableNetworkIsolation: SENTINEL, primaryContainer: { image: SENTINEL } }).workloads[0];
        assert.strictEqual(isolationName(unknown.isolation), "unknown");
        assert.strictEqual(unknown.containers[0].image?.value, UNKNOWN);
    });

    it("a request wholly computed at run time declares no VpcConfig; a run-time VpcConfig is one", () => {
        const task = (params: Record<string, unknown>) => ({ Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", ...params, End: true });
        const machine = JSON.stringify({
            StartAt: "Whole", States: {
                Whole: task({ "Parameters.$": "$.job" }),
                Vpc: task({ Parameters: { "VpcConfig.$": "$.vpc" } }),
                Subnets: task({ Parameters: { VpcConfig: { "Subnets.$": "$.subnets" } } }),
                Net: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createProcessingJob.sync", Parameters: { "NetworkConfig.$": "$.net" }, End: true },
            },
        });
        const ws = extract(SFN, { definition: machine }).workloads;
        assert.deepStrictEqual(ws.map(w => [w.path, isolationName(w.isolation), w.vpc]), [
            ["definition.States.Whole.Parameters", "dynamic", undefined],
            ["definition.States.Vpc.Parameters", "absent", { path: "definition.States.Vpc.Parameters.VpcConfig", subnets: DYNAMIC }],
            ["definition.States.Subnets.Parameters", "absent", { path: "definition.States.Subnets.Parameters.VpcConfig", subnets: DYNAMIC }],
            ["definition.States.Net.Parameters", "dynamic", undefined],
        ]);
        // The same in a pipeline: Arguments from a Get.
        const [p] = extract(PIPELINE, { pipelineDefinition: pipeline([{ Name: "T", Type: "Training", Arguments: { Get: "Parameters.Job" } }]) }).workloads;
        assert.strictEqual(p.vpc, undefined);
    });

    for (const depth of [30, 1000, 5000]) {
        it(`walks Condition steps ${depth} levels deep without overflowing`, () => {
            const leaf = { Name: "Deep", Type: "Training", Arguments: { EnableNetworkIsolation: true } };
            const def = `{"Version":"2020-12-01","Steps":[${nested(depth, leaf)},{"Name":"Last","Type":"Model","Arguments":{}}]}`;
            const { workloads, unreadable } = extract(PIPELINE, { pipelineDefinition: def });
            assert.deepStrictEqual(unreadable, []);
            assert.strictEqual(workloads.length, 2);
            const deep = workloads.find(w => w.kind === "training")!;
            assert.strictEqual(deep.isolation, "on");
            assert.ok(deep.isolationPath.startsWith("pipelineDefinition.Steps[0](C0).Arguments.IfSteps[0](C1).Arguments.ElseSteps[0](C2)"));
            assert.ok(deep.isolationPath.endsWith(`(C${depth - 1}).Arguments.${(depth - 1) % 2 === 0 ? "IfSteps" : "ElseSteps"}[0](Deep).Arguments.EnableNetworkIsolation`));
            // The path keeps its start and end; the middle of a long path is shortened for messages.
            assert.ok(deep.isolationPath.length <= 400 && deep.isolationPath.includes("..."), deep.isolationPath);
            assert.strictEqual(workloads.find(w => w.kind === "model")!.isolationPath, "pipelineDefinition.Steps[1](Last).Arguments.EnableNetworkIsolation");
        });
    }

    it("walks Parallel branches and Map processors 1000 levels deep", () => {
        let machine: unknown = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: {}, End: true } } };
        for (let i = 0; i < 1000; i++) {
            machine = i % 2 === 0
                ? { StartAt: "P", States: { P: { Type: "Parallel", Branches: [machine], End: true } } }
                : { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: machine, End: true } } };
        }
        const ws = extract(SFN, { definition: JSON.stringify(machine) }).workloads;
        assert.strictEqual(ws.length, 1);
        assert.strictEqual(ws[0].isolation, "absent");
        assert.ok(ws[0].isolationPath.endsWith(".States.P.Branches[0].States.T.Parameters.EnableNetworkIsolation"));
    });

    it("the document cache returns each text's own result", () => {
        const def = (iso: unknown, name: string) => pipeline([{ Name: name, Type: "Training", Arguments: { EnableNetworkIsolation: iso } }]);
        const texts = [def(true, "A"), def(false, "B"), def({ Get: "Parameters.X" }, "C"), "{broken", def(true, "D")];
        const expected = [
            ["training on pipelineDefinition.Steps[0](A).Arguments.EnableNetworkIsolation"],
            ["training off pipelineDefinition.Steps[0](B).Arguments.EnableNetworkIsolation"],
            ["training dynamic pipelineDefinition.Steps[0](C).Arguments.EnableNetworkIsolation"],
            [],
            ["training on pipelineDefinition.Steps[0](D).Arguments.EnableNetworkIsolation"],
        ];
        // Twice in order, then interleaved and in reverse, then after flooding the cache.
        const order = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 4, 0, 3, 1, 2, 2, 1, 0];
        for (const i of order) {
            const r = extract(PIPELINE, { pipelineDefinition: texts[i] });
            assert.deepStrictEqual(summary(r.workloads), expected[i], `text ${i}`);
            assert.deepStrictEqual(r.unreadable, i === 3 ? [{ path: "pipelineDefinition", why: "invalid" }] : []);
        }
        for (let n = 0; n < 40; n++) {
            extract(PIPELINE, { pipelineDefinition: def(n % 2 === 0, `F${n}`) });
        }
        for (const i of [4, 3, 2, 1, 0]) {
            assert.deepStrictEqual(summary(extract(PIPELINE, { pipelineDefinition: texts[i] }).workloads), expected[i]);
        }
    });

    it("the document cache holds documents by size: 64 read by eight policies in turn are parsed once each; past 8 MB the oldest leave", () => {
        countingParses(parses => {
            // As the engine sends them: many resources in flight, each read by every policy in turn.
            const texts = Array.from({ length: 64 }, (_, i) => pipeline([{ Name: `In flight ${i}`, Type: "Training", Arguments: {} }]));
            for (let policy = 0; policy < 8; policy++) {
                texts.forEach(t => extract(PIPELINE, { pipelineDefinition: t }));
            }
            assert.strictEqual(parses.count, 64);
            // Three texts of 3 MB: the first leaves when the third comes in; the second is kept.
            const big = [0, 1, 2].map(i => pipeline([{ Name: `Big ${i}`, Type: "Training", Arguments: { Pad: "x".repeat(3 * 1024 * 1024) } }]));
            big.forEach(t => extract(PIPELINE, { pipelineDefinition: t }));
            parses.count = 0;
            extract(PIPELINE, { pipelineDefinition: big[1] });
            assert.strictEqual(parses.count, 0, "the second is still cached");
            extract(PIPELINE, { pipelineDefinition: big[0] });
            assert.strictEqual(parses.count, 1, "the first was evicted");
        });
    });

    it("a reader that does not keep documents (the stack policy) finds what others parsed and adds nothing", () => {
        countingParses(parses => {
            const seen = pipeline([{ Name: "Seen by a resource policy", Type: "Training", Arguments: { EnableNetworkIsolation: true } }]);
            const fresh = pipeline([{ Name: "Read only by the stack policy", Type: "Training", Arguments: { EnableNetworkIsolation: false } }]);
            extract(PIPELINE, { pipelineDefinition: seen });
            parses.count = 0;
            assert.deepStrictEqual(summary(extract(PIPELINE, { pipelineDefinition: seen }, false).workloads),
                ["training on pipelineDefinition.Steps[0](Seen by a resource policy).Arguments.EnableNetworkIsolation"]);
            assert.strictEqual(parses.count, 0, "found in the cache");
            for (let i = 0; i < 2; i++) {
                assert.deepStrictEqual(summary(extract(PIPELINE, { pipelineDefinition: fresh }, false).workloads),
                    ["training off pipelineDefinition.Steps[0](Read only by the stack policy).Arguments.EnableNetworkIsolation"]);
            }
            assert.strictEqual(parses.count, 2, "not kept: parsed at each read");
            extract(PIPELINE, { pipelineDefinition: fresh });
            extract(PIPELINE, { pipelineDefinition: fresh });
            assert.strictEqual(parses.count, 3, "a reader that keeps it parses it once");
        });
    });

    it("reads a model's or job's containers, instance count and remote access at their first use, once", () => {
        const reads: string[] = [];
        const counted = (name: string, value: unknown) => ({ get [name]() { reads.push(name); return value; } });
        const props = {
            enableNetworkIsolation: true,
            vpcConfig: { subnets: ["subnet-1"], securityGroupIds: [] },
            algorithmSpecification: counted("trainingImage", "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1"),
            resourceConfig: counted("instanceCount", 1),
            remoteDebugConfig: counted("enableRemoteDebug", true),
        };
        const [w] = extract("aws:sagemaker/trainingJob:TrainingJob", props).workloads;
        // What the VPC endpoints policy reads of every workload of the stack: nothing else is read.
        assert.deepStrictEqual([w.kind, w.isolation, w.vpc, w.encryption], ["training", "on", { path: "vpcConfig", subnets: ["subnet-1"] }, "absent"]);
        assert.deepStrictEqual(reads, []);
        assert.strictEqual(w.containers[0].image?.value, "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1");
        assert.deepStrictEqual([w.singleInstance, w.access?.map(a => a.state)], [true, ["on"]]);
        void [w.containers, w.singleInstance, w.access];
        assert.deepStrictEqual(reads.sort(), ["enableRemoteDebug", "instanceCount", "trainingImage"], "each read once");
    });

    it("a document kept in the cache keeps its workloads, not the parsed document", async () => {
        // A full collection on demand (the tests run without --expose-gc), and WeakRef (ES2021; the tests compile for ES2020).
        v8.setFlagsFromString("--expose-gc");
        const collect = vm.runInNewContext("gc") as () => void;
        const Weak = (globalThis as unknown as { WeakRef: new <T extends object>(t: T) => { deref(): T | undefined } }).WeakRef;
        const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/kept:1";
        const text = pipeline([{ Name: "Kept", Type: "Training", Arguments: { EnableNetworkIsolation: true, AlgorithmSpecification: { TrainingImage: image } } }]);
        let step: { deref(): object | undefined } | undefined;
        countingParses(() => extract(PIPELINE, { pipelineDefinition: text }),
            doc => step = new Weak((doc as { Steps: { Arguments: object }[] }).Steps[0].Arguments));
        await new Promise(resolve => setImmediate(resolve)); // (a WeakRef holds its target until the current job ends)
        collect();
        assert.strictEqual(step?.deref(), undefined, "the step's arguments are not held by the cached workload");
        countingParses(parses => {
            const [w] = extract(PIPELINE, { pipelineDefinition: text }).workloads;
            assert.strictEqual(parses.count, 0, "still cached");
            assert.strictEqual(w.containers[0].image?.value, image, "read before it was cached");
        });
    });

    it("the same text under different properties keeps its own paths", () => {
        const text = pipeline([{ Name: "T", Type: "Training", Arguments: {} }]);
        const a = extract(PIPELINE, { pipelineDefinition: text }).workloads;
        const b = extract("aws-native:sagemaker:Pipeline", { pipelineDefinition: { pipelineDefinitionBody: text } }).workloads;
        assert.strictEqual(a[0].isolationPath, "pipelineDefinition.Steps[0](T).Arguments.EnableNetworkIsolation");
        assert.strictEqual(b[0].isolationPath, "pipelineDefinition.pipelineDefinitionBody.Steps[0](T).Arguments.EnableNetworkIsolation");
        const sm = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createModel", Parameters: {} } } });
        assert.strictEqual(extract(SFN, { definition: sm }).workloads[0].isolationPath, "definition.States.T.Parameters.EnableNetworkIsolation");
        assert.strictEqual(extract(NSFN, { definitionString: sm }).workloads[0].isolationPath, "definitionString.States.T.Parameters.EnableNetworkIsolation");
    });

    it("substitutions: inserted as text anywhere, as CloudFormation does; values not known yet read as unknown", () => {
        const sm = (params: string, name = "T") => `{"StartAt": "${name}", "States": {"${name}": {"Type": "Task", "Resource": "arn:\${p}:states:::sagemaker:createTrainingJob", "Parameters": ${params}}}}`;
        const run = (props: Record<string, unknown>) => extract(NSFN, props);
        const iso = (props: Record<string, unknown>) => run(props).workloads.map(w => isolationName(w.isolation));
        // Inside a string, and unquoted: a boolean, "false", a number.
        assert.deepStrictEqual(iso({ definitionString: sm(`{"EnableNetworkIsolation": "\${i}"}`), definitionSubstitutions: { p: "aws", i: "false" } }), ["off"]);
        assert.deepStrictEqual(iso({ definitionString: sm(`{"EnableNetworkIsolation": \${i}}`), definitionSubstitutions: { p: "aws", i: true } }), ["on"]);
        assert.deepStrictEqual(iso({ definitionString: sm(`{"EnableNetworkIsolation": \${i}}`), definitionSubstitutions: { p: "aws", i: "false" } }), ["off"]);
        const n = run({ definitionString: sm(`{"EnableNetworkIsolation": true, "StoppingCondition": {"MaxRuntimeInSeconds": \${s}}}`), definitionSubstitutions: { p: "aws", s: 3600 } });
        assert.deepStrictEqual([n.workloads.length, n.unreadable], [1, []]);
        // The definition object is written out as JSON, then substituted.
        assert.deepStrictEqual(iso({ definition: JSON.parse(sm(`{"EnableNetworkIsolation": "\${i}"}`)), definitionSubstitutions: { p: "aws", i: "false" } }), ["off"]);
        // Not known yet: a whole string, an unquoted reference, the whole map; a reference in a key stays as it is.
        for (const props of [
            { definitionString: sm(`{"EnableNetworkIsolation": "\${i}"}`), definitionSubstitutions: { p: SENTINEL, i: SENTINEL } },
            { definitionString: sm(`{"EnableNetworkIsolation": \${i}}`), definitionSubstitutions: { p: "aws", i: SENTINEL } },
            { definitionString: sm(`{"EnableNetworkIsolation": \${i}}`, "${n}"), definitionSubstitutions: SENTINEL },
            { definition: JSON.parse(sm(`{"EnableNetworkIsolation": "\${i}"}`)), definitionSubstitutions: SENTINEL },
        ]) {
            const e = run(props);
            assert.deepStrictEqual([e.workloads.map(w => isolationName(w.isolation)), e.unreadable], [["unknown"], []], JSON.stringify(props));
            assert.ok(e.workloads[0].isolationPath.startsWith(`${"definitionString" in props ? "definitionString" : "definition"}.States.`));
        }
        assert.strictEqual(run({ definitionString: sm(`{"EnableNetworkIsolation": \${i}}`, "${n}"), definitionSubstitutions: SENTINEL }).workloads[0].isolationPath,
            "definitionString.States.${n}.Parameters.EnableNetworkIsolation");
        // Part of a string not known yet: the string is unknown (the task's partition still names the task).
        const part = run({ definitionString: sm(`{"EnableNetworkIsolation": true, "AlgorithmSpecification": {"TrainingImage": "\${a}.dkr.ecr.us-east-1.amazonaws.com/x:1"}}`), definitionSubstitutions: { p: SENTINEL, a: SENTINEL } });
        assert.strictEqual(part.workloads[0].containers[0].image?.value, UNKNOWN);
        // Text that does not parse because of a value not known yet is not known yet; with known values it is invalid.
        assert.deepStrictEqual(run({ definitionString: sm(`{"MaxRuntimeInSeconds": 36\${z}}`), definitionSubstitutions: { p: "aws", z: SENTINEL } }).unreadable,
            [{ path: "definitionString", why: "preview" }]);
        const quoted = run({ definitionString: sm(`{"AlgorithmSpecification": {"TrainingImage": "\${img}"}}`), definitionSubstitutions: { p: "aws", img: "a\"b" } });
        assert.deepStrictEqual(quoted.unreadable, [{ path: "definitionString", why: "substituted" }]);
        const escaped = run({ definitionString: sm(`{"AlgorithmSpecification": {"TrainingImage": "\${img}"}}`), definitionSubstitutions: { p: "aws", img: "a\\\"b" } });
        assert.strictEqual(escaped.workloads[0].containers[0].image?.value, "a\"b");
        assert.deepStrictEqual(run({ definitionString: "{", definitionSubstitutions: { p: "aws" } }).unreadable, [{ path: "definitionString", why: "invalid" }]);
        // A state name from a substitution (maybe a secret) shows as its reference, also when JSON-escaped in the text.
        const named = run({ definitionString: sm(`{}`, "${n}"), definitionSubstitutions: { p: "aws", n: "S3CR3T\\u0041" } });
        assert.strictEqual(named.workloads[0].isolationPath, "definitionString.States.${n}.Parameters.EnableNetworkIsolation");
    });

    it("a tuning step of 200,000 training job definitions yields each, in a pipeline and a state machine (no spread that throws)", () => {
        const defs = Array.from({ length: 200000 }, () => ({ EnableNetworkIsolation: true }));
        const inPipeline = extract(PIPELINE, { pipelineDefinition: pipeline([{ Name: "Tune", Type: "Tuning", Arguments: { TrainingJobDefinitions: defs } }]) });
        assert.strictEqual(inPipeline.workloads.length, 200000);
        const sm = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync", Parameters: { TrainingJobDefinitions: defs }, End: true } } });
        assert.strictEqual(extract(SFN, { definition: sm }).workloads.length, 200000);
    });

    it("wrong shapes yield no workloads and never throw", () => {
        const shapes: unknown[] = [undefined, null, 1, "x", [], [1], { pipelineDefinition: [] }, { pipelineDefinition: { Steps: 1 } },
            { pipelineDefinition: "[]" }, { pipelineDefinition: "\"str\"" }, { pipelineDefinition: JSON.stringify({ Steps: [null, 1, "s", { Type: 5 }] }) }];
        for (const s of shapes) {
            assert.deepStrictEqual(extract(PIPELINE, s).workloads, []);
        }
        assert.deepStrictEqual(extract(SFN, { definition: JSON.stringify({ States: { A: null, B: { Type: "Parallel", Branches: "x" }, C: { Type: "Map", ItemProcessor: [] } } }) }), { workloads: [], unreadable: [] });
        assert.deepStrictEqual(extract("aws:s3/bucket:Bucket", { enableNetworkIsolation: false }), { workloads: [], unreadable: [] });
    });
});

