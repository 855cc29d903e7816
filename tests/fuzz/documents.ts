/** SageMaker Pipeline definitions and Step Functions state machines for the property-based tests: valid, malformed, deep, huge. */
import fc from "fast-check";
import { modelRequest, processingRequest, Rec, trainingRequest, tuningRequest } from "./requests";

// ---------------------------------------------------------------------------------------
// Documents

const stepName = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("Train", "Tune", "Process", "Check", "Register", "a.b[0](c)", "x".repeat(80), "\u00e9\n") },
    { weight: 2, arbitrary: fc.constantFrom("${Name}", "Step-${Name}") },
    { weight: 2, arbitrary: fc.string({ maxLength: 10 }) });

/** A SageMaker Pipeline definition (structurally valid, with `depth` levels of Condition steps). */
export function pipelineDocument(depth = 2): fc.Arbitrary<Rec> {
    const step = fc.letrec<{ step: unknown; steps: unknown[] }>(tie => ({
        step: fc.oneof({ depthSize: "small", maxDepth: depth },
            fc.tuple(stepName, fc.constantFrom("Training"), trainingRequest("pipeline")).map(([Name, Type, Arguments]) => ({ Name, Type, Arguments })),
            fc.tuple(stepName, fc.constantFrom("Tuning"), tuningRequest("pipeline")).map(([Name, Type, Arguments]) => ({ Name, Type, Arguments })),
            fc.tuple(stepName, fc.constantFrom("Processing", "QualityCheck", "ClarifyCheck"), processingRequest("pipeline"))
                .map(([Name, Type, Arguments]) => ({ Name, Type, Arguments })),
            fc.tuple(stepName, fc.constantFrom("Model", "CreateModel"), modelRequest("pipeline")).map(([Name, Type, Arguments]) => ({ Name, Type, Arguments })),
            fc.tuple(stepName, fc.constantFrom("Lambda", "Fail", "RegisterModel", "Transform")).map(([Name, Type]) => ({ Name, Type, Arguments: {} })),
            fc.tuple(stepName, tie("steps"), tie("steps")).map(([Name, IfSteps, ElseSteps]) => ({
                Name, Type: "Condition", Arguments: { Conditions: [{ Type: "Equals", LeftValue: 1, RightValue: 1 }], IfSteps, ElseSteps },
            })),
        ),
        steps: fc.array(tie("step"), { maxLength: 3 }),
    }));
    return fc.tuple(step.steps, fc.constantFrom("2020-12-01", undefined)).map(([Steps, Version]) => ({ Version, Metadata: {}, Parameters: [], Steps }));
}

const SFN_APIS = ["createTrainingJob", "createHyperParameterTuningJob", "createProcessingJob", "createModel", "createEndpoint", "createTransformJob"];

const taskResource = fc.tuple(fc.constantFrom("aws", "aws-cn", "${AWS::Partition}", ""), fc.constantFrom(...SFN_APIS),
    fc.constantFrom("", ".sync", ".sync:2", ".waitForTaskToken", ".bogus"), fc.boolean())
    .map(([p, api, suffix, sdk]) => `arn:${p}:states:::${sdk ? "aws-sdk:" : ""}sagemaker:${api}${suffix}`);

function taskState(): fc.Arbitrary<Rec> {
    return fc.tuple(taskResource, fc.constantFrom("asl" as const), fc.constantFrom("Parameters", "Arguments"),
        fc.constantFrom(undefined, "JSONata", "JSONPath")).chain(([Resource, d, key, ql]) => {
        const api = /sagemaker:([A-Za-z]+)/.exec(Resource)![1];
        const req = api === "createModel" ? modelRequest(d) : api === "createTrainingJob" ? trainingRequest(d)
            : api === "createHyperParameterTuningJob" ? tuningRequest(d) : processingRequest(d);
        return req.map(r => ({ Type: "Task", Resource, QueryLanguage: ql, [key]: r, End: true }));
    });
}

/** An Amazon States Language state machine with Parallel/Map nesting up to `depth`. */
export function stateMachineDocument(depth = 2): fc.Arbitrary<Rec> {
    const tree = fc.letrec<{ machine: Rec; state: Rec }>(tie => ({
        machine: fc.tuple(fc.dictionary(stepName, tie("state"), { maxKeys: 3 }), fc.constantFrom(undefined, "JSONata", "JSONPath"))
            .map(([States, QueryLanguage]) => ({ StartAt: Object.keys(States)[0] ?? "x", QueryLanguage, States })),
        state: fc.oneof({ depthSize: "small", maxDepth: depth },
            taskState(),
            fc.constantFrom<Rec>({ Type: "Pass", End: true }, { Type: "Choice", Choices: [] }, { Type: "Task", Resource: "arn:aws:states:::lambda:invoke" }),
            fc.array(tie("machine"), { maxLength: 2 }).map(Branches => ({ Type: "Parallel", Branches, End: true })),
            fc.tuple(tie("machine"), fc.constantFrom("ItemProcessor", "Iterator")).map(([m, k]) => ({ Type: "Map", [k]: m, End: true })),
        ),
    }));
    return tree.machine;
}

/** Text of a document: valid JSON, or malformed in one of several ways. */
export function documentText(doc: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
    return fc.tuple(doc, fc.constantFrom("valid", "valid", "valid", "valid", "truncate", "garbage", "bom", "spaces", "number", "unquote"), fc.nat())
        .map(([d, how, n]) => {
            const text = JSON.stringify(d);
            switch (how) {
                case "truncate": return text.slice(0, n % (text.length + 1));
                case "garbage": return text.slice(0, n % (text.length + 1)) + "\u0000}{,]" + text.slice(n % (text.length + 1));
                case "bom": return "\ufeff" + text;
                case "spaces": return `\n  ${text}  \n`;
                case "number": return String(n);
                // Substitution references as values, outside strings (`"EnableNetworkIsolation": ${Iso}`).
                case "unquote": return text.replace(/"(\$\{[A-Za-z:]+\})"/g, "$1");
                default: return text;
            }
        });
}

/** `depth` levels of nested Condition steps, with a training step at the bottom. */
export function deepPipeline(depth: number, iso: unknown = false): string {
    let steps: unknown[] = [{ Name: "Bottom", Type: "Training", Arguments: { EnableNetworkIsolation: iso, AlgorithmSpecification: { TrainingImage: "x" } } }];
    for (let i = 0; i < depth; i++) {
        steps = [{ Name: `C${i}`, Type: "Condition", Arguments: { IfSteps: steps, ElseSteps: i % 2 ? [] : steps.slice(0, 0) } }];
    }
    return JSON.stringify({ Version: "2020-12-01", Steps: steps });
}

/** `depth` levels of alternating Parallel and Map states, with a createModel task at the bottom (built as text: any depth). */
export function deepStateMachine(depth: number, iso: unknown = false): string {
    const bottom = JSON.stringify({
        StartAt: "M", States: {
            M: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createModel", Parameters: { EnableNetworkIsolation: iso, PrimaryContainer: { Image: "x" } }, End: true },
        },
    });
    const open: string[] = [];
    for (let i = depth - 1; i >= 0; i--) {
        open.push(`{"StartAt":"S${i}","States":{"S${i}":` + (i % 2 ? `{"Type":"Parallel","End":true,"Branches":[` : `{"Type":"Map","End":true,"ItemProcessor":`));
    }
    const close = Array.from({ length: depth }, (_, j) => (depth - 1 - j) % 2 ? "]}}}" : "}}}");
    return open.join("") + bottom + close.reverse().join("");
}

/** JSON nested `depth` levels (arrays and objects) — for wrong-typed deep garbage. */
export function deepGarbage(depth: number): string {
    return "[{\"Steps\":".repeat(depth) + "1" + "}]".repeat(depth);
}

/** A definition of about `bytes` characters: many realistic steps or states. */
export function hugePipeline(bytes: number): string {
    const step = (i: number) => ({
        Name: `Train${i}`, Type: "Training", Arguments: {
            AlgorithmSpecification: { TrainingImage: "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.0", TrainingInputMode: "File" },
            HyperParameters: { sagemaker_submit_directory: "s3://b/code.tar.gz", epochs: "10" },
            EnableNetworkIsolation: i % 3 !== 0, VpcConfig: { Subnets: ["subnet-0a"], SecurityGroupIds: ["sg-1"] },
            OutputDataConfig: { S3OutputPath: "s3://b/out/" + "p".repeat(200) },
        },
    });
    const one = JSON.stringify(step(0)).length + 1;
    return JSON.stringify({ Version: "2020-12-01", Steps: Array.from({ length: Math.ceil(bytes / one) }, (_, i) => step(i)) });
}

export function hugeStateMachine(bytes: number): string {
    const state = (i: number) => ({
        Type: "Task", Resource: "arn:aws:states:::sagemaker:createProcessingJob.sync", Next: `P${i + 1}`,
        Parameters: {
            AppSpecification: { ImageUri: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1" },
            NetworkConfig: { EnableNetworkIsolation: i % 2 === 0, VpcConfig: { Subnets: ["subnet-0b"], SecurityGroupIds: ["sg-1"] } },
            "ProcessingJobName.$": "$.name", Padding: "q".repeat(200),
        },
    });
    const one = JSON.stringify(state(0)).length + 8;
    const States: Rec = {};
    for (let i = 0; i < Math.ceil(bytes / one); i++) {
        States[`P${i}`] = state(i);
    }
    return JSON.stringify({ StartAt: "P0", States });
}
