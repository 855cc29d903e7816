/**
 * Generators for the property-based tests: garbage and structurally valid property bags for
 * every resource type the pack reads, SageMaker Pipeline definitions and Step Functions
 * state machines (valid, malformed, deeply nested, huge), stacks for the stack policy, and
 * policy configurations. Unknown sentinels and secret envelopes appear at random places.
 *
 * Every secret value is, or contains, a distinctive token `S3CR3T-<hex>` (and tokens appear
 * nowhere else), so a test can find the secret values of an input by searching its JSON.
 */
import fc from "fast-check";
import images from "../../policies/facts/data/managed-images.json";
import { SECRET_SIG_KEY, secretEnvelope, UNKNOWN_SENTINEL, UNKNOWN_SENTINELS } from "../../policies/values/sentinels";
import { WORKLOAD_TYPES } from "../../policies/workloads";

// ---------------------------------------------------------------------------------------
// Engine encodings

const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

export const TOKEN_RE = /S3CR3T-[0-9a-f]{12}/g;

/** All secret tokens of an input (anywhere in it, JSON documents in strings included). */
/** `v` as the engine would send it: JSON data (no undefined members). */
export function clean<T>(v: T): T {
    return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

export function tokensOf(input: unknown): string[] {
    return [...new Set(JSON.stringify(input)?.match(TOKEN_RE) ?? [])];
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
export const token = hex(12).map(h => `S3CR3T-${h}`);
export const sentinel = fc.constantFrom(...UNKNOWN_SENTINELS);

// ---------------------------------------------------------------------------------------
// Vocabulary

/** Member names the extraction layer reads, in all three dialects, plus hostile keys. */
const API_KEYS = [
    "EnableNetworkIsolation", "VpcConfig", "Subnets", "SecurityGroupIds", "PrimaryContainer", "Containers", "Image",
    "ModelPackageName", "Environment", "AlgorithmSpecification", "TrainingImage", "AlgorithmName", "HyperParameters",
    "StaticHyperParameters", "TrainingJobDefinition", "TrainingJobDefinitions", "AppSpecification", "ImageUri",
    "NetworkConfig", "DataQualityAppSpecification", "ModelQualityAppSpecification", "ModelBiasAppSpecification",
    "ModelExplainabilityAppSpecification", "MonitoringScheduleConfig", "MonitoringJobDefinition",
    "MonitoringAppSpecification", "PipelineDefinition", "PipelineDefinitionBody", "Definition", "DefinitionString",
    "DefinitionSubstitutions", "Steps", "Type", "Name", "Arguments", "IfSteps", "ElseSteps", "States", "StartAt",
    "Resource", "Parameters", "Branches", "ItemProcessor", "Iterator", "QueryLanguage", "Id", "VpcId", "SubnetId",
    "ServiceName", "DirectInternetAccess", "SecurityGroups", "AppNetworkAccessType", "SubnetIds",
];
const camel = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);
const KEYS = [
    ...API_KEYS, ...API_KEYS.map(camel), ...API_KEYS.map(k => k + ".$"),
    "SAGEMAKER_SUBMIT_DIRECTORY", "sagemaker_submit_directory", "id", "Get", "Std:Join",
    "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "length", "0", "",
    "__isSpecialProxy", "__getSpecialProxyTarget",
];

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "cn-north-1", "us-gov-west-1", "xx-fake-9"];

/** [account, region, repository] of AWS's managed framework images. */
const MANAGED: [string, string, string][] = Object.values(images.families as Record<string, { repositories: Record<string, Record<string, string>> }>)
    .flatMap(f => Object.entries(f.repositories).flatMap(([repo, regions]) => Object.entries(regions).map(([r, a]) => [a, r, repo] as [string, string, string])));

/** Image URIs: AWS's managed framework images (with the right and wrong accounts) and others. */
const imageUri = fc.oneof(
    fc.tuple(fc.constantFrom(...MANAGED), fc.constantFrom("", ":1.13.1-gpu-py39", "@sha256:" + "b".repeat(64), "  "))
        .map(([[a, r, repo], tag]) => `${a}.dkr.ecr.${r}.amazonaws.com${r.startsWith("cn-") ? ".cn" : ""}/${repo}${tag}`),
    fc.tuple(fc.constantFrom("763104351884", "520713654638", "462105765813", "683313688378", "123456789012"),
        fc.constantFrom(...REGIONS),
        fc.constantFrom("pytorch-training", "pytorch-inference", "sagemaker-scikit-learn", "sagemaker-chainer",
            "sagemaker-rl-tensorflow", "sagemaker-rl-mxnet", "tensorflow-training", "my-repo", "sagemaker-pytorch",
            "huggingface-pytorch-inference", "sagemaker-xgboost", "xgboost", "mxnet-training"),
        fc.constantFrom("", ":1.13.1-gpu-py39", ":latest", "@sha256:" + "a".repeat(64), ":x:y"))
        .map(([a, r, repo, tag]) => `${a}.dkr.ecr.${r}.amazonaws.com${r.startsWith("cn-") ? ".cn" : ""}/${repo}${tag}`),
    fc.constantFrom("docker.io/library/python:3", "", " ", "not an image", "763104351884.dkr.ecr.us-east-1.amazonaws.com/"),
);

/** Algorithm and model package names: Marketplace ARNs, own ARNs, plain names. */
const sourceName = fc.oneof(
    fc.tuple(fc.constantFrom("aws", "aws-cn", "aws-us-gov", "aws-iso-b"), fc.constantFrom(...REGIONS),
        fc.constantFrom("865070037744", "594846645681", "111122223333", "123456789012", "1234"),
        fc.constantFrom("algorithm", "model-package", "model-package-group", "model"),
        fc.constantFrom("scikit-decision-trees", "a", "x".repeat(70), "my-pkg/3", "with space"))
        .map(([p, r, a, kind, n]) => `arn:${p}:sagemaker:${r}:${a}:${kind}/${n}`),
    fc.constantFrom("my-algorithm", "", "arn:aws:sagemaker:::algorithm/"),
);

const s3Uri = fc.constantFrom("s3://bucket/code/sourcedir.tar.gz", "  S3://B/k", "'s3://q'", "/opt/ml/model/code", "file:///x", "s3:/nope",
    "https://b.s3.us-east-1.amazonaws.com/k", "\"https://s3.amazonaws.com/b/k\"", "https://example.com/s3.amazonaws.com/k", "https://" + "s3.".repeat(200) + "x/");

const subnetId = fc.oneof(
    fc.constantFrom("subnet-0a", "subnet-0b", "subnet-0c", "subnet-0d", "subnet-ext"),
    hex(8).map(h => `subnet-${h}`),
);

/** Strings that mean something to some part of the pack. */
const interesting = fc.oneof(
    imageUri, sourceName, s3Uri, subnetId,
    fc.constantFrom("true", "True", " TRUE ", "false", "yes", "1", "{% $states.input.iso %}", "{%%}", "{% x",
        "$.iso", "arn:aws:states:::sagemaker:createTrainingJob.sync", "arn:aws:states:::aws-sdk:sagemaker:createModel",
        "com.amazonaws.us-east-1.s3", "cn.com.amazonaws.cn-north-1.sagemaker.api", "com.amazonaws.us-east-1.S3",
        "vpc-1", "vpc-2", "${Name}", "${Iso}", "{}", "[]", "null", "\u0000\u2028\ud800", "a\nb\tc\r",
        "Training", "Condition", "Task", "Parallel", "Map", "JSONata", "JSONPath"),
);

// ---------------------------------------------------------------------------------------
// Values with unknowns and secrets

/** A scalar, possibly unknown. */
const scalar: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 3, arbitrary: interesting },
    { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: sentinel },
);

/** Plain JSON of bounded size with the pack's vocabulary as keys, no secrets. */
export const plainJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>(tie => ({
    v: fc.oneof({ depthSize: "small", withCrossShrink: true },
        scalar,
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie("v"), { maxKeys: 5 })),
})).v;

/** A secret: a token, or a structure whose leaves include tokens. */
export const secretValue: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 4, arbitrary: token },
    { weight: 1, arbitrary: fc.tuple(token, imageUri).map(([t, i]) => `${i}${t}`) },
    { weight: 1, arbitrary: fc.tuple(token, token).map(([a, b]) => ({ a, [camel("Subnets")]: [b] })) },
    { weight: 1, arbitrary: fc.array(token, { minLength: 1, maxLength: 3 }) },
).map(secretEnvelope);

/** Assets and archives the SDK turns into runtime objects. */
const assetLike = fc.constantFrom<unknown>(
    { [SECRET_SIG_KEY]: ASSET_SIG, text: "print(1)" },
    { [SECRET_SIG_KEY]: ASSET_SIG, path: "./x.py" },
    { [SECRET_SIG_KEY]: ARCHIVE_SIG, path: "./code" },
);

/**
 * Replaces random nodes of `v` with unknowns, secrets or garbage (`rate` per node). Keeps
 * the shape otherwise, so structurally valid inputs stay mostly valid.
 */
export function sprinkle<T>(arb: fc.Arbitrary<T>, rate = 0.08): fc.Arbitrary<unknown> {
    return fc.tuple(arb, fc.infiniteStream(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }),
        fc.oneof(
            { weight: 3, arbitrary: sentinel },
            { weight: 3, arbitrary: secretValue },
            { weight: 2, arbitrary: scalar },
            { weight: 1, arbitrary: plainJson },
            { weight: 1, arbitrary: assetLike },
        )))).map(([v, stream]) => {
        const it = stream[Symbol.iterator]();
        const walk = (x: unknown, depth: number): unknown => {
            const [p, repl] = it.next().value as [number, unknown];
            if (depth > 0 && p < rate) {
                // Secrets may wrap the original value too.
                return p < rate / 4 && typeof x !== "object" && x !== undefined ? secretEnvelope(typeof x === "string" ? `${x}` : x) : repl;
            }
            if (Array.isArray(x)) {
                return x.map(e => walk(e, depth + 1));
            }
            if (typeof x === "object" && x !== null && !(SECRET_SIG_KEY in x)) {
                return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, walk(e, depth + 1)]));
            }
            return x;
        };
        return walk(v, 0);
    });
}

// ---------------------------------------------------------------------------------------
// Structurally valid SageMaker request shapes, in any dialect

export type Dialect = "camel" | "pipeline" | "asl";

function keyOf(d: Dialect, k: string): string {
    return d === "camel" ? camel(k) : k;
}

/** A value a pipeline or state machine computes at run time, in dialect `d`. */
function dynamicOf(d: Dialect): fc.Arbitrary<unknown> {
    if (d === "pipeline") {
        return fc.constantFrom<unknown>({ Get: "Parameters.Iso" }, { "Std:Join": { On: "", Values: ["a"] } }, { Get: 3 });
    }
    if (d === "asl") {
        return fc.constantFrom<unknown>("{% $states.input.iso %}", "{%  %}  ");
    }
    return sentinel;
}

function flag(d: Dialect): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 6, arbitrary: fc.constant(true) },
        { weight: 3, arbitrary: fc.constantFrom<unknown>(false, "true", "false", "TRUE", 1, null, "yes") },
        { weight: 2, arbitrary: dynamicOf(d) },
        { weight: 1, arbitrary: sentinel },
    );
}

type Rec = Record<string, unknown>;

/** Builds an object in dialect `d` from PascalCase members, dropping undefined ones; ASL may use `Key.$`. */
function obj(d: Dialect, members: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Rec> {
    const entries = Object.entries(members);
    return fc.tuple(...entries.map(([, a]) => fc.option(a, { nil: undefined, freq: 4 })),
        fc.array(fc.boolean(), { minLength: entries.length, maxLength: entries.length })).map(values => {
        const pathFlags = values[entries.length] as boolean[];
        const out: Rec = {};
        entries.forEach(([k, ], i) => {
            const v = values[i];
            if (v === undefined) {
                return;
            }
            if (d === "asl" && pathFlags[i] && typeof v !== "object") {
                out[k + ".$"] = "$.input." + k;
            } else {
                out[keyOf(d, k)] = v;
            }
        });
        return out;
    });
}

function vpcConfig(d: Dialect) {
    return obj(d, {
        Subnets: fc.oneof({ weight: 5, arbitrary: fc.array(fc.oneof(subnetId, dynamicOf(d), sentinel), { maxLength: 3 }) },
            { weight: 1, arbitrary: dynamicOf(d) }, { weight: 1, arbitrary: sentinel }),
        SecurityGroupIds: fc.constant(["sg-1"]),
    });
}

function env(d: Dialect, varName: string) {
    return fc.dictionary(fc.constantFrom(varName, "OTHER", varName.toLowerCase()), fc.oneof(s3Uri, dynamicOf(d)), { maxKeys: 2 })
        .map(m => m as unknown);
}

function container(d: Dialect) {
    return obj(d, {
        Image: fc.oneof(imageUri, dynamicOf(d)),
        ModelPackageName: fc.oneof(sourceName, dynamicOf(d)),
        Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY"),
    });
}

export function modelRequest(d: Dialect) {
    return obj(d, {
        PrimaryContainer: container(d),
        Containers: fc.array(container(d), { maxLength: 3 }),
        EnableNetworkIsolation: flag(d),
        VpcConfig: vpcConfig(d),
        ExecutionRoleArn: fc.constant("arn:aws:iam::123456789012:role/r"),
    });
}

function trainingDefinition(d: Dialect, hyperKey: string) {
    return obj(d, {
        AlgorithmSpecification: obj(d, {
            TrainingImage: fc.oneof(imageUri, dynamicOf(d)),
            AlgorithmName: fc.oneof(sourceName, dynamicOf(d)),
            TrainingInputMode: fc.constant("File"),
        }),
        [hyperKey]: env(d, "sagemaker_submit_directory"),
        Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY"),
        EnableNetworkIsolation: flag(d),
        VpcConfig: vpcConfig(d),
    });
}

export function trainingRequest(d: Dialect) {
    return trainingDefinition(d, "HyperParameters");
}

export function tuningRequest(d: Dialect) {
    return obj(d, {
        TrainingJobDefinition: trainingDefinition(d, "StaticHyperParameters"),
        TrainingJobDefinitions: fc.oneof(fc.array(trainingDefinition(d, "StaticHyperParameters"), { maxLength: 3 }), dynamicOf(d)),
        HyperParameterTuningJobConfig: fc.constant({ Strategy: "Bayesian" }),
    });
}

function networkConfig(d: Dialect) {
    return obj(d, { EnableNetworkIsolation: flag(d), VpcConfig: vpcConfig(d) });
}

export function processingRequest(d: Dialect, appKey = "AppSpecification") {
    return obj(d, {
        [appKey]: obj(d, { ImageUri: fc.oneof(imageUri, dynamicOf(d)), Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY") }),
        Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY"),
        NetworkConfig: fc.oneof(networkConfig(d), dynamicOf(d)),
    });
}

export function monitoringScheduleRequest(d: Dialect) {
    return obj(d, {
        MonitoringScheduleConfig: obj(d, {
            MonitoringJobDefinition: fc.oneof(processingRequest(d, "MonitoringAppSpecification"), dynamicOf(d)),
            MonitoringJobDefinitionName: fc.constant("def"),
        }),
    });
}

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

// ---------------------------------------------------------------------------------------
// Resources

export const VPC_TYPES = ["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws-native:ec2:Vpc"];
export const SUBNET_TYPES = ["aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet", "aws-native:ec2:Subnet"];
export const ENDPOINT_TYPES = ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"];
export const ROUTE_TYPES = ["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable", "aws-native:ec2:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws-native:ec2:SubnetRouteTableAssociation",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    "aws:vpc/endpointPrivateDns:EndpointPrivateDns"];
export const NOTEBOOK_TYPES = ["aws:sagemaker/notebookInstance:NotebookInstance", "aws-native:sagemaker:NotebookInstance"];
export const DOMAIN_TYPES = ["aws:sagemaker/domain:Domain", "aws-native:sagemaker:Domain"];
/** The types some resource policy judges: SageMaker workloads, notebook instances, Studio domains. */
export const JUDGED_TYPES = [...WORKLOAD_TYPES, ...NOTEBOOK_TYPES, ...DOMAIN_TYPES];
export const NAT_TYPES = ["aws:ec2/natGateway:NatGateway", "aws-native:ec2:NatGateway", "aws:ec2/route:Route", "aws-native:ec2:Route"];
export const OTHER_TYPES = ["aws:s3/bucket:Bucket", "aws:iam/role:Role", "pulumi:pulumi:Stack", "pulumi:pulumi:StackReference", "aws:sagemaker/endpoint:Endpoint", "", "not-a-type"];
export const ALL_TYPES = [...JUDGED_TYPES, ...VPC_TYPES, ...SUBNET_TYPES, ...ENDPOINT_TYPES, ...ROUTE_TYPES, ...NAT_TYPES, ...OTHER_TYPES];

const routeTableId = fc.constantFrom("rtb-1", "rtb-2", "rtb-main", UNKNOWN_SENTINEL);
const natGatewayId = fc.constantFrom<unknown>("nat-1", "nat-2", "nat-ext", "", null, UNKNOWN_SENTINEL);
const cidrBlock = fc.constantFrom<unknown>("0.0.0.0/0", "10.1.0.0/16", "::/0", UNKNOWN_SENTINEL);

/**
 * An enum property: its values, AWS's other spellings and garbage, not known yet, the undecryptable
 * `"[secret]"`, or a secret (of a valid value, or a token).
 */
function enumValue(...values: string[]): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<unknown>(...values, ...values.map(v => v.toLowerCase()), "", null, 1, [values[0]]) },
        { weight: 1, arbitrary: sentinel },
        { weight: 1, arbitrary: fc.constant("[secret]") },
        { weight: 1, arbitrary: fc.constantFrom(...values).map(secretEnvelope) },
        { weight: 1, arbitrary: secretValue },
    );
}

const securityGroupIds = fc.oneof(fc.array(fc.constantFrom<unknown>("sg-1", "sg-2", UNKNOWN_SENTINEL), { maxLength: 2 }), sentinel, fc.constant("[secret]"));
const notebookSubnet = fc.oneof(subnetId, fc.constantFrom<unknown>("", null, "[secret]"), sentinel, token.map(t => secretEnvelope(`subnet-${t}`)));

/** Structurally valid properties of a resource of `type` (before sprinkling). */
export function validProps(type: string): fc.Arbitrary<Rec> {
    const wrap = (k: string) => (a: fc.Arbitrary<unknown>) => a.map(v => ({ [k]: v }));
    switch (type) {
        case "aws:sagemaker/model:Model":
        case "aws-native:sagemaker:Model":
            return modelRequest("camel");
        case "aws:sagemaker/trainingJob:TrainingJob":
            return trainingRequest("camel");
        case "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob":
            return tuningRequest("camel");
        case "aws-native:sagemaker:ProcessingJob":
            return processingRequest("camel");
        case "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition":
        case "aws-native:sagemaker:DataQualityJobDefinition":
            return processingRequest("camel", "DataQualityAppSpecification");
        case "aws-native:sagemaker:ModelQualityJobDefinition":
            return processingRequest("camel", "ModelQualityAppSpecification");
        case "aws-native:sagemaker:ModelBiasJobDefinition":
            return processingRequest("camel", "ModelBiasAppSpecification");
        case "aws-native:sagemaker:ModelExplainabilityJobDefinition":
            return processingRequest("camel", "ModelExplainabilityAppSpecification");
        case "aws:sagemaker/monitoringSchedule:MonitoringSchedule":
        case "aws-native:sagemaker:MonitoringSchedule":
            return monitoringScheduleRequest("camel");
        case "aws:sagemaker/pipeline:Pipeline":
            return wrap("pipelineDefinition")(fc.oneof(
                { weight: 4, arbitrary: documentText(pipelineDocument()) },
                { weight: 1, arbitrary: pipelineDocument() },
                { weight: 1, arbitrary: secretDocument(pipelineDocument()) }));
        case "aws-native:sagemaker:Pipeline":
            return wrap("pipelineDefinition")(fc.oneof(
                { weight: 4, arbitrary: documentText(pipelineDocument()).map(t => ({ pipelineDefinitionBody: t })) },
                { weight: 1, arbitrary: secretDocument(pipelineDocument()).map(t => ({ pipelineDefinitionBody: t })) },
                { weight: 1, arbitrary: fc.constant({ pipelineDefinitionS3Location: { bucket: "b", key: "k" } }) }));
        case "aws:sfn/stateMachine:StateMachine":
            return wrap("definition")(fc.oneof(
                { weight: 4, arbitrary: documentText(stateMachineDocument()) },
                { weight: 1, arbitrary: secretDocument(stateMachineDocument()) }));
        case "aws-native:stepfunctions:StateMachine":
            return fc.tuple(fc.oneof(documentText(stateMachineDocument()), stateMachineDocument(), secretDocument(stateMachineDocument())),
                fc.boolean(), substitutions).map(([def, asString, subs]) => ({
                [asString && typeof def === "string" ? "definitionString" : "definition"]: typeof def === "string" && !asString ? safeParse(def) : def,
                definitionSubstitutions: subs,
            }));
        case "aws:sagemaker/notebookInstance:NotebookInstance":
        case "aws-native:sagemaker:NotebookInstance":
            return fc.record({
                directInternetAccess: enumValue("Disabled", "Enabled"),
                subnetId: notebookSubnet,
                [type.startsWith("aws-native:") ? "securityGroupIds" : "securityGroups"]: securityGroupIds,
                instanceType: fc.constant("ml.t3.medium"),
                roleArn: fc.constant("arn:aws:iam::123456789012:role/r"),
            }, { requiredKeys: [] });
        case "aws:sagemaker/domain:Domain":
        case "aws-native:sagemaker:Domain":
            return fc.record({
                appNetworkAccessType: enumValue("VpcOnly", "PublicInternetOnly"),
                vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL),
                subnetIds: fc.oneof(fc.array(notebookSubnet, { maxLength: 2 }), sentinel),
                domainName: fc.constant("studio"),
                authMode: fc.constantFrom("IAM", "SSO"),
            }, { requiredKeys: [] });
        case "aws:ec2/vpc:Vpc":
        case "aws:ec2/defaultVpc:DefaultVpc":
            return fc.record({ id: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL), cidrBlock: fc.constant("10.0.0.0/16"),
                mainRouteTableId: routeTableId, region: fc.constantFrom("eu-west-1", "nowhere", UNKNOWN_SENTINEL) }, { requiredKeys: ["id"] });
        case "aws-native:ec2:Vpc":
            return fc.record({ vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL), id: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL) }, { requiredKeys: [] });
        case "aws:ec2/subnet:Subnet":
        case "aws:ec2/defaultSubnet:DefaultSubnet":
            return fc.record({ id: subnetId, vpcId: fc.constantFrom("vpc-1", "vpc-2", "vpc-9", UNKNOWN_SENTINEL), availabilityZone: fc.constantFrom("us-east-1a", "x", UNKNOWN_SENTINEL) });
        case "aws-native:ec2:Subnet":
            return fc.record({ subnetId, id: subnetId, vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL) }, { requiredKeys: [] });
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
        case "aws-native:ec2:VpcEndpoint":
            return fc.record({
                vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL),
                serviceName: fc.constantFrom("com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.sagemaker.api", "cn.com.amazonaws.cn-north-1.s3", "s3",
                    "aws.sagemaker.us-east-1.notebook", "aws.sagemaker.", UNKNOWN_SENTINEL),
                vpcEndpointType: fc.constantFrom("Gateway", "Interface", "GatewayLoadBalancer", UNKNOWN_SENTINEL),
                id: fc.constantFrom("vpce-1", "vpce-2", UNKNOWN_SENTINEL),
                routeTableIds: fc.oneof(fc.array(routeTableId, { maxLength: 3 }), sentinel),
                privateDnsEnabled: fc.constantFrom<unknown>(true, false, UNKNOWN_SENTINELS[0]),
                dnsOptions: fc.oneof(sentinel, fc.record({
                    privateDnsOnlyForInboundResolverEndpoint: fc.constantFrom<unknown>(true, false, "OnlyInboundResolver", "AllResolvers", "NotSpecified", UNKNOWN_SENTINELS[0]),
                }, { requiredKeys: [] })),
            }, { requiredKeys: ["vpcId", "serviceName"] });
        case "aws:ec2/routeTable:RouteTable":
        case "aws:ec2/defaultRouteTable:DefaultRouteTable":
        case "aws-native:ec2:RouteTable":
            return fc.record({
                id: routeTableId, routeTableId, defaultRouteTableId: routeTableId, vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL),
                routes: fc.oneof(sentinel, fc.array(fc.record({ cidrBlock, natGatewayId, gatewayId: fc.constant("igw-1") }, { requiredKeys: [] }), { maxLength: 3 })),
            }, { requiredKeys: [] });
        case "aws:ec2/natGateway:NatGateway":
        case "aws-native:ec2:NatGateway":
            return fc.record({ id: natGatewayId, natGatewayId, subnetId, connectivityType: fc.constantFrom<unknown>("public", "private", UNKNOWN_SENTINEL) }, { requiredKeys: [] });
        case "aws:ec2/route:Route":
        case "aws-native:ec2:Route":
            return fc.record({ routeTableId, destinationCidrBlock: cidrBlock, natGatewayId, gatewayId: fc.constant("igw-1") }, { requiredKeys: [] });
        case "aws:ec2/routeTableAssociation:RouteTableAssociation":
        case "aws-native:ec2:SubnetRouteTableAssociation":
            return fc.record({ subnetId, routeTableId, gatewayId: fc.constant("igw-1") }, { requiredKeys: [] });
        case "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation":
            return fc.record({ vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL), routeTableId });
        case "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation":
            return fc.record({ vpcEndpointId: fc.constantFrom("vpce-1", "vpce-2", UNKNOWN_SENTINEL), routeTableId });
        case "aws:vpc/endpointPrivateDns:EndpointPrivateDns":
            return fc.record({ vpcEndpointId: fc.constantFrom("vpce-1", "vpce-2", UNKNOWN_SENTINEL), privateDnsEnabled: fc.constantFrom<unknown>(true, false, UNKNOWN_SENTINELS[0]) });
        default:
            return fc.dictionary(fc.constantFrom("bucket", "name", "arn", "tags", "assumeRolePolicy"), scalar, { maxKeys: 3 });
    }
}

function safeParse(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Definition substitutions, some of them secret (a secret substitution may land anywhere in the text). */
export const substitutions: fc.Arbitrary<unknown> = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(fc.constantFrom("Name", "Iso", "Partition", "AWS::Partition"),
        fc.oneof(fc.constantFrom<unknown>("true", "false", "aws", "Train", 1, true, null, "a\"b", "\"q\"", "${Iso}", "{\"EnableNetworkIsolation\": false}"),
            sentinel, secretValue), { maxKeys: 3 }),
    sentinel,
);

/** A whole document marked secret: its text carries tokens in values (never in names). */
function secretDocument(doc: fc.Arbitrary<Rec>): fc.Arbitrary<Rec> {
    return fc.tuple(doc, token).map(([d, t]) => secretEnvelope(JSON.stringify({ ...d, Comment: t })));
}

export interface GenResource {
    type: string;
    name: string;
    props: Rec;
}

/** One resource: structurally valid (sprinkled with unknowns, secrets, garbage) or arbitrary JSON, of any type. */
export const resource: fc.Arbitrary<GenResource> = fc.tuple(
    fc.constantFrom(...ALL_TYPES),
    fc.oneof(fc.constantFrom("r", "model-1", "a.b", "x".repeat(300)), fc.string({ maxLength: 12 })),
    fc.constantFrom("valid", "valid", "sprinkled", "sprinkled", "sprinkled", "garbage"),
).chain(([type, name, how]) => {
    const props: fc.Arbitrary<unknown> = how === "valid" ? validProps(type)
        : how === "sprinkled" ? sprinkle(validProps(type))
        : fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(plainJson, secretValue, sentinel), { maxKeys: 6 });
    return props.map(p => ({ type, name, props: (typeof p === "object" && p !== null && !Array.isArray(p) ? p : { value: p }) as Rec }));
});

export interface GenStackResource extends GenResource {
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

/** A small stack: VPCs, subnets, endpoints and workloads that refer to each other (or not). */
export const stack: fc.Arbitrary<GenStackResource[]> = fc.array(resource, { maxLength: 8 }).chain(rs => {
    const names = rs.map((r, i) => `${i}-${r.name}`);
    const pick = fc.array(fc.oneof(fc.constantFrom(...(names.length ? names : ["none"])), fc.constant("urn:pulumi:x::y::z::gone")), { maxLength: 3 });
    return fc.tuple(...rs.map(() => fc.tuple(pick, fc.dictionary(fc.constantFrom("vpcId", "vpcConfig", "networkConfig", "pipelineDefinition",
        "definition", "definitionString", "primaryContainer", "subnetId", "routeTableId", "routeTableIds", "vpcEndpointId", "defaultRouteTableId",
        "natGatewayId", "routes", "destinationCidrBlock", "subnetIds", "connectivityType", "directInternetAccess",
        "constructor", "__proto__", "toString"), pick, { maxKeys: 3 }))))
        .map(deps => rs.map((r, i) => ({ ...r, name: names[i], dependencies: deps[i][0], propertyDependencies: deps[i][1] })));
});

// ---------------------------------------------------------------------------------------
// Configuration

const anyConfigValue = fc.oneof(plainJson, fc.constant(undefined));

export const resourceConfig: fc.Arbitrary<Rec | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
        weight: 2, arbitrary: fc.record({
            exemptions: fc.oneof(anyConfigValue, fc.array(fc.record({
                resource: fc.constantFrom("*", "r", "model-*", "urn:*", "a.b", "[", "(", "\\", "**", ".*"),
                reason: fc.constantFrom("approved", "", "x".repeat(1200)),
                expires: fc.constantFrom(undefined, "2000-01-01", "2999-12-31", "garbage"),
            }, { requiredKeys: ["resource", "reason"] }), { maxLength: 3 })),
            frameworks: fc.oneof(anyConfigValue, fc.subarray(["chainer", "pytorch", "scikit-learn", "rl", "tensorflow"])),
            marketplaceAccountIds: fc.oneof(anyConfigValue, fc.constant(["111122223333"])),
            ownAccountIds: fc.oneof(anyConfigValue, fc.constant(["123456789012"])),
            allowedSubnetIds: fc.oneof(anyConfigValue, fc.subarray(["subnet-0a", "subnet-0b", "subnet-ext"])),
        }, { requiredKeys: [] }),
    },
);

export const stackConfig: fc.Arbitrary<Rec | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
        weight: 2, arbitrary: fc.record({
            requiredServices: fc.oneof(anyConfigValue, fc.subarray(["s3", "sagemaker.api", "ecr.dkr", "x".repeat(400)])),
            requiredServicesWithoutIsolation: fc.oneof(anyConfigValue, fc.subarray(["s3", "sts", "logs"])),
            unresolvedVpc: fc.oneof(anyConfigValue, fc.constantFrom("report", "ignore")),
            natCounts: fc.oneof(anyConfigValue, fc.boolean()),
            requiredServicesForNotebooks: fc.oneof(anyConfigValue, fc.subarray(["s3", "sagemaker.api", "notebook"])),
            requiredServicesForStudio: fc.oneof(anyConfigValue, fc.subarray(["s3", "sagemaker.runtime", "studio", "sts"])),
        }, { requiredKeys: [] }),
    },
);
