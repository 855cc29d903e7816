/**
 * Real pipeline definitions and Step Functions state machines from public repositories
 * (tests/fixtures/realworld, sources and commits in INDEX.tsv), run through every policy as
 * the resource that would carry them. Each file's expected findings were decided by reading it.
 */
import { frameworkIsolationCompatibility, marketplaceNetworkIsolation, modelNetworkIsolation, processingNetworkIsolation, trainingNetworkIsolation, vpcEndpointsPolicy as vpcEndpoints } from "../rules";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policy } from "@pulumi/policy";
import { analyze, analyzeStack, Diagnostic, UNKNOWN_SENTINEL } from "../harness";
import { checkExpectations, checkInvariants, Expectation } from "../policies/fixtures";

const DIR = path.join(__dirname, "..", "fixtures", "realworld");
const PIPELINE = "aws:sagemaker/pipeline:Pipeline";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";

type PolicyKey = "model" | "training" | "processing" | "marketplace" | "framework";
const POLICIES: Record<PolicyKey, Policy> = {
    model: modelNetworkIsolation,
    training: trainingNetworkIsolation,
    processing: processingNetworkIsolation,
    marketplace: marketplaceNetworkIsolation,
    framework: frameworkIsolationCompatibility,
};

const notSet = (p: string) => `rw: ${p}.EnableNetworkIsolation is not set`;
const notTrue = (p: string) => `rw: ${p}.EnableNetworkIsolation is not true`;
const a = (contains: string): Expectation => ({ contains, level: "advisory" });

/** Per file, per policy: the findings in order (a policy not listed must find nothing). */
const EXPECTED: Record<string, Partial<Record<PolicyKey, Expectation[]>>> = {
    "pipelines/01-ack-sample-abalone-training.json": {
        training: [a(notSet("pipelineDefinition.Steps[0](AbaloneTrain).Arguments"))],
    },
    "pipelines/02-ack-e2e-model-step.json": {
        model: [a(notSet("pipelineDefinition.Steps[0](MyModelCreationStep-CreateModel).Arguments"))],
    },
    "pipelines/03-ack-e2e-processing-params.json": {
        processing: [a(notSet("pipelineDefinition.Steps[0](PreprocessData).Arguments.NetworkConfig"))],
    },
    // 31 Condition steps nested 30 deep, no job or model anywhere.
    "pipelines/04-airflow-nested-conditions.json": {},
    // Processing x3 with EnableNetworkIsolation false; Training x2 without the key; one Model step.
    // The PyTorch and Scikit-learn containers run without isolation, so no compatibility warning.
    "pipelines/05-aws-samples-dynamic-framework-networkconfig.json": {
        model: [a(notSet("pipelineDefinition.Steps[5](calhousing-CreateModel-CreateModel).Arguments"))],
        training: [
            a(notSet("pipelineDefinition.Steps[1](falcon-text-summarization-tuning).Arguments")),
            a(notSet("pipelineDefinition.Steps[4](calhousing-Training).Arguments")),
        ],
        processing: [
            a(notTrue("pipelineDefinition.Steps[0](falcon-text-summarization-preprocess).Arguments.NetworkConfig")),
            a(notTrue("pipelineDefinition.Steps[3](calhousing-Preprocessing).Arguments.NetworkConfig")),
            a(notTrue("pipelineDefinition.Steps[7](calhousing-Metrics).Arguments.NetworkConfig")),
        ],
    },
    // The Model step sits in the Condition's IfSteps; RegisterModel, Transform and Fail are not checked.
    "pipelines/06-sm-terraform-poc-abalone-condition.json": {
        model: [a(notSet("pipelineDefinition.Steps[3](AbaloneMSECond).Arguments.IfSteps[1](AbaloneCreateModel-CreateModel).Arguments"))],
        training: [a(notSet("pipelineDefinition.Steps[1](AbaloneTrain).Arguments"))],
        processing: [
            a(notSet("pipelineDefinition.Steps[0](AbaloneProcess).Arguments.NetworkConfig")),
            a(notSet("pipelineDefinition.Steps[2](AbaloneEval).Arguments.NetworkConfig")),
        ],
    },
    // Training TrainModel isolated (true), Processing EvaluateModel isolated, PreprocessData false.
    "pipelines/07-aws-mdaa-cfn-snapshot-vpc-isolation.json": {
        processing: [a(notTrue("pipelineDefinition.Steps[0](PreprocessData).Arguments.NetworkConfig"))],
    },
    "asl/01-sfn-docs-connect-sagemaker-processing.json": {
        processing: [a(notSet("definition.States.SageMaker CreateProcessingJob Sync.Parameters.NetworkConfig"))],
    },
    // createTransformJob is not a workload the pack checks.
    "asl/02-sfn-docs-sample-train-model.json": {
        model: [a(notSet("definition.States.Save Model.Parameters"))],
        training: [a(notSet("definition.States.Train model (XGBoost).Parameters"))],
    },
    "asl/03-sfn-docs-sample-hyper-tuning.json": {
        model: [a(notSet("definition.States.HyperparameterTuning - Save Model.Parameters"))],
        training: [a(notSet("definition.States.HyperparameterTuning (XGBoost).Parameters.TrainingJobDefinition") + ", so the tuning job")],
    },
    // The non-ASCII state name is shown with ? in place of the non-ASCII characters.
    "asl/04-sfn-docs-sample-preprocess-feature-transform.json": {
        training: [a(notSet("definition.States.Train model (XGBoost).Parameters"))],
        processing: [a(notSet("definition.States.Standardization: x' = (x - x?) / ?.Parameters.NetworkConfig"))],
    },
    // Top-level QueryLanguage JSONata: the tasks take Arguments.
    "asl/05-LOO1H3R-terraform-jsonata-train-deploy.json": {
        model: [a(notSet("definition.States.SageMaker CreateModel.Arguments"))],
        training: [a(notSet("definition.States.Train model (XGBoost).Arguments"))],
        processing: [a(notSet("definition.States.Standardization.Arguments.NetworkConfig"))],
    },
    "asl/06-sam-coates-terraform-template-fraud-training.json": {
        training: [a(notSet("definition.States.Train Model in SageMaker.Parameters"))],
    },
    // Templated partition (arn:${partition}:states:::sagemaker:...) is still recognised.
    "asl/07-sfn-workflows-collection-train-ml-model.json": {
        model: [a(notSet("definition.States.Save Model.Parameters"))],
        training: [a(notSet("definition.States.Train model (XGBoost).Parameters"))],
    },
};

function read(file: string): string {
    return fs.readFileSync(path.join(DIR, file), "utf8");
}

function resourceFor(file: string) {
    return file.startsWith("pipelines/")
        ? { type: PIPELINE, name: "rw", props: { pipelineDefinition: read(file) } }
        : { type: STATE_MACHINE, name: "rw", props: { definition: read(file) } };
}

async function check(policy: Policy, r: ReturnType<typeof resourceFor> | { type: string; name: string; props: Record<string, unknown> },
    expect: Expectation[]): Promise<Diagnostic[]> {
    const ds = await analyze(policy, r);
    checkInvariants(ds, [], [r.name]);
    checkExpectations(ds, expect);
    return ds;
}

describe("realworld definitions", () => {
    it("every stored file has expectations, and every expectation a file", () => {
        const files = ["pipelines", "asl"].flatMap(d => fs.readdirSync(path.join(DIR, d)).map(f => `${d}/${f}`)).sort();
        assert.deepStrictEqual(files, Object.keys(EXPECTED).sort());
        const index = read("INDEX.tsv").split("\n").slice(1).filter(l => l.trim()).map(l => l.split("\t")[0]).sort();
        assert.deepStrictEqual(index, files, "INDEX.tsv names exactly the stored files");
    });

    for (const [file, perPolicy] of Object.entries(EXPECTED)) {
        describe(file, () => {
            for (const key of Object.keys(POLICIES) as PolicyKey[]) {
                const expect = perPolicy[key] ?? [];
                it(`${POLICIES[key].name}: ${expect.length} finding(s)`, async () => {
                    await check(POLICIES[key], resourceFor(file), expect);
                });
            }
        });
    }

    it("pipelines/07 as the aws-native pipeline body gives the same processing finding", async () => {
        const body = read("pipelines/07-aws-mdaa-cfn-snapshot-vpc-isolation.json");
        await check(processingNetworkIsolation, { type: "aws-native:sagemaker:Pipeline", name: "rw", props: { pipelineDefinition: { pipelineDefinitionBody: body } } },
            [a(notTrue("pipelineDefinition.pipelineDefinitionBody.Steps[0](PreprocessData).Arguments.NetworkConfig"))]);
    });

    it("pipelines/07: its three VPC-attached steps use subnets not declared in the stack: one finding", async () => {
        const r = { ...resourceFor("pipelines/07-aws-mdaa-cfn-snapshot-vpc-isolation.json"), name: "rw" };
        const ds = await analyzeStack(vpcEndpoints, [r]);
        checkInvariants(ds, [], ["rw"]);
        checkExpectations(ds, [a("rw: the processing job at pipelineDefinition.Steps[0](PreprocessData).Arguments.NetworkConfig.VpcConfig, " +
            "the training job at pipelineDefinition.Steps[1](TrainModel).Arguments.VpcConfig and " +
            "the processing job at pipelineDefinition.Steps[2](EvaluateModel).Arguments.NetworkConfig.VpcConfig use subnets that are not declared in this stack")]);
        assert.deepStrictEqual(await analyzeStack(vpcEndpoints, [r], { unresolvedVpc: "ignore" }), []);
    });

    it("pipelines/07 with the VPC declared and an S3 endpoint on its main route table: no VPC finding", async () => {
        const r = resourceFor("pipelines/07-aws-mdaa-cfn-snapshot-vpc-isolation.json");
        const ds = await analyzeStack(vpcEndpoints, [
            { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1", mainRouteTableId: "rtb-1" } },
            { type: "aws:ec2/subnet:Subnet", name: "a", props: { id: "subnet-abc", vpcId: "vpc-1" } },
            { type: "aws:ec2/subnet:Subnet", name: "b", props: { id: "subnet-def", vpcId: "vpc-1" } },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "s3", props: { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3", routeTableIds: ["rtb-1"] } },
            r,
        ]);
        assert.deepStrictEqual(ds, []);
    });

    it("asl/07 as an aws-native state machine with its SAM substitutions", async () => {
        const text = read("asl/07-sfn-workflows-collection-train-ml-model.json");
        const chainer = "520713654638.dkr.ecr.us-east-1.amazonaws.com/sagemaker-chainer:5.0.0-cpu-py3";
        const props = (subs: Record<string, unknown>) => ({ definitionString: text, definitionSubstitutions: subs });
        const subs = { partition: "aws", regionalTrainingImage: chainer, SagemakerAPIExecutionRole: "arn:aws:iam::123456789012:role/r", trainmlmodelbucket: "b" };
        const r = { type: "aws-native:stepfunctions:StateMachine", name: "rw", props: props(subs) };
        await check(trainingNetworkIsolation, r, [a(notSet("definitionString.States.Train model (XGBoost).Parameters"))]);
        // Isolation is off, so the Chainer image is no compatibility problem here.
        await check(frameworkIsolationCompatibility, r, []);
        // With the partition not known yet, the templated task is still recognised.
        const unknownPartition = { ...r, props: props({ ...subs, partition: UNKNOWN_SENTINEL }) };
        await check(modelNetworkIsolation, unknownPartition, [a(notSet("definitionString.States.Save Model.Parameters"))]);
    });
});
