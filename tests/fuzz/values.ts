/**
 * Values for the property-based tests: the engine's encodings (unknown sentinels, secret
 * envelopes, assets), the pack's vocabulary, and values with unknowns and secrets at random places.
 *
 * Every secret value is, or contains, a distinctive token `S3CR3T-<hex>` (and tokens appear
 * nowhere else), so a test can find the secret values of an input by searching its JSON.
 */
import fc from "fast-check";
import images from "../../policies/facts/data/managed-images.json";
import { SECRET_SIG_KEY, secretEnvelope, UNKNOWN_SENTINELS } from "../../policies/values/sentinels";

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

export const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
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
    "EnableInterContainerTrafficEncryption", "ResourceConfig", "InstanceCount", "InstanceGroups", "RemoteDebugConfig",
    "EnableRemoteDebug", "ProductionVariants", "ShadowProductionVariants", "ModelName", "EnableSsmAccess", "SpaceSettings",
    "RemoteAccess", "OverrideVpcConfig", "RestrictedInstanceGroups", "DomainSettings", "IpAddressType",
    "DestinationIpv6CidrBlock", "EgressOnlyGatewayId", "Ipv6CidrBlock",
];
export const camel = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);
export const KEYS = [
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
export const imageUri = fc.oneof(
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
export const sourceName = fc.oneof(
    fc.tuple(fc.constantFrom("aws", "aws-cn", "aws-us-gov", "aws-iso-b"), fc.constantFrom(...REGIONS),
        fc.constantFrom("865070037744", "594846645681", "111122223333", "123456789012", "1234"),
        fc.constantFrom("algorithm", "model-package", "model-package-group", "model"),
        fc.constantFrom("scikit-decision-trees", "a", "x".repeat(70), "my-pkg/3", "with space"))
        .map(([p, r, a, kind, n]) => `arn:${p}:sagemaker:${r}:${a}:${kind}/${n}`),
    fc.constantFrom("my-algorithm", "", "arn:aws:sagemaker:::algorithm/"),
);

export const s3Uri = fc.constantFrom("s3://bucket/code/sourcedir.tar.gz", "  S3://B/k", "'s3://q'", "/opt/ml/model/code", "file:///x", "s3:/nope",
    "https://b.s3.us-east-1.amazonaws.com/k", "\"https://s3.amazonaws.com/b/k\"", "https://example.com/s3.amazonaws.com/k", "https://" + "s3.".repeat(200) + "x/");

export const subnetId = fc.oneof(
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
export const scalar: fc.Arbitrary<unknown> = fc.oneof(
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
