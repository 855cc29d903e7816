/**
 * Realistic stacks for benchmarks: many "teams", each with a VPC, subnets, VPC endpoints (with
 * property dependencies on the VPC), SageMaker models, training jobs, pipelines and state
 * machines with realistic definitions, and the unrelated resources around them (S3 buckets,
 * IAM roles, log groups). Deterministic: the same size gives the same stack.
 */
import { AnalyzerResource } from "../cli/engine/client";

const PROJECT = "bench";

function urn(type: string, name: string): string {
    return `urn:pulumi:dev::${PROJECT}::${type}::${name}`;
}

const PYTORCH = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.0.1-gpu-py310";
const SKLEARN = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3";
const CUSTOM = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team-model:latest";

function pipelineDefinition(team: number, subnets: string[]): string {
    const vpc = { Subnets: subnets, SecurityGroupIds: ["sg-0123456789abcdef0"] };
    const steps = [
        {
            Name: "Preprocess", Type: "Processing", Arguments: {
                ProcessingResources: { ClusterConfig: { InstanceType: "ml.m5.xlarge", InstanceCount: 1, VolumeSizeInGB: 30 } },
                AppSpecification: { ImageUri: SKLEARN, ContainerEntrypoint: ["python3", "/opt/ml/processing/input/code/preprocess.py"] },
                RoleArn: "arn:aws:iam::123456789012:role/sagemaker",
                ProcessingInputs: [{ InputName: "code", S3Input: { S3Uri: `s3://team-${team}/code/preprocess.py`, LocalPath: "/opt/ml/processing/input/code", S3DataType: "S3Prefix", S3InputMode: "File" } }],
                NetworkConfig: { EnableNetworkIsolation: true, VpcConfig: vpc },
            },
        },
        {
            Name: "Train", Type: "Training", Arguments: {
                AlgorithmSpecification: { TrainingImage: PYTORCH, TrainingInputMode: "File" },
                HyperParameters: { epochs: "10", sagemaker_program: "train.py", sagemaker_submit_directory: `s3://team-${team}/code/source.tar.gz` },
                OutputDataConfig: { S3OutputPath: `s3://team-${team}/models/` },
                ResourceConfig: { InstanceCount: 1, InstanceType: "ml.p3.2xlarge", VolumeSizeInGB: 50 },
                RoleArn: "arn:aws:iam::123456789012:role/sagemaker",
                StoppingCondition: { MaxRuntimeInSeconds: 86400 },
                EnableNetworkIsolation: team % 3 !== 0, VpcConfig: vpc,
            },
        },
        {
            Name: "CheckAccuracy", Type: "Condition", Arguments: {
                Conditions: [{ Type: "GreaterThanOrEqualTo", LeftValue: { "Std:JsonGet": { Path: "metrics.accuracy" } }, RightValue: 0.8 }],
                IfSteps: [{
                    Name: "CreateModel", Type: "Model", Arguments: {
                        ExecutionRoleArn: "arn:aws:iam::123456789012:role/sagemaker",
                        PrimaryContainer: { Image: CUSTOM, ModelDataUrl: { Get: "Steps.Train.ModelArtifacts.S3ModelArtifacts" } },
                        EnableNetworkIsolation: true, VpcConfig: vpc,
                    },
                }],
                ElseSteps: [{ Name: "Fail", Type: "Fail", Arguments: { ErrorMessage: "accuracy too low" } }],
            },
        },
    ];
    return JSON.stringify({ Version: "2020-12-01", Metadata: {}, Parameters: [{ Name: "InputData", Type: "String", DefaultValue: `s3://team-${team}/data` }], PipelineExperimentConfig: {}, Steps: steps });
}

function stateMachineDefinition(team: number, subnets: string[]): string {
    const training = {
        Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Next: "Done",
        Parameters: {
            "TrainingJobName.$": "$.name",
            AlgorithmSpecification: { TrainingImage: CUSTOM, TrainingInputMode: "File" },
            RoleArn: "arn:aws:iam::123456789012:role/sagemaker",
            OutputDataConfig: { S3OutputPath: `s3://team-${team}/sfn/` },
            ResourceConfig: { InstanceCount: 1, InstanceType: "ml.m5.xlarge", VolumeSizeInGB: 10 },
            StoppingCondition: { MaxRuntimeInSeconds: 3600 },
            EnableNetworkIsolation: true,
            VpcConfig: { Subnets: subnets, SecurityGroupIds: ["sg-0123456789abcdef0"] },
        },
    };
    return JSON.stringify({
        Comment: `team ${team} training`, StartAt: "Fanout", States: {
            Fanout: {
                Type: "Parallel", Next: "Done", Branches: [
                    { StartAt: "Train", States: { Train: { ...training, Next: undefined, End: true } } },
                    { StartAt: "Notify", States: { Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:123456789012:t", Message: "started" }, End: true } } },
                ],
            },
            Done: { Type: "Succeed" },
        },
    });
}

/**
 * A stack of `size` resources. Per team of 25: a VPC, 3 subnets, a route table with 3 associations, 1 or 2 VPC
 * endpoints (the S3 one on no route table in every fifth team), 3 models, 2 training jobs, 1 pipeline, 1 state
 * machine, and 9 unrelated resources.
 */
export function makeStack(size: number): AnalyzerResource[] {
    const out: AnalyzerResource[] = [];
    const add = (type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}) => {
        const deps = [...new Set(Object.values(propertyDependencies).flat())];
        out.push({ type, name, urn: urn(type, name), props, dependencies: deps, propertyDependencies });
    };
    for (let t = 0; out.length < size; t++) {
        const vpcId = `vpc-${t.toString(16).padStart(8, "0")}`;
        const vpcUrn = urn("aws:ec2/vpc:Vpc", `vpc-${t}`);
        add("aws:ec2/vpc:Vpc", `vpc-${t}`, { id: vpcId, cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, tags: { team: `${t}` } });
        const rtId = `rtb-${t.toString(16).padStart(8, "0")}`;
        const rtUrn = urn("aws:ec2/routeTable:RouteTable", `private-${t}`);
        add("aws:ec2/routeTable:RouteTable", `private-${t}`, { id: rtId, vpcId }, { vpcId: [vpcUrn] });
        const subnets: string[] = [];
        const subnetUrns: string[] = [];
        for (let s = 0; s < 3; s++) {
            const id = `subnet-${t.toString(16).padStart(8, "0")}${s}`;
            subnets.push(id);
            subnetUrns.push(urn("aws:ec2/subnet:Subnet", `subnet-${t}-${s}`));
            add("aws:ec2/subnet:Subnet", `subnet-${t}-${s}`, { id, vpcId, cidrBlock: `10.0.${s}.0/24`, availabilityZone: `us-east-1${"abc"[s]}` }, { vpcId: [vpcUrn] });
            add("aws:ec2/routeTableAssociation:RouteTableAssociation", `subnet-${t}-${s}`, { id: `rtbassoc-${t}${s}`, subnetId: id, routeTableId: rtId },
                { subnetId: [subnetUrns[s]], routeTableId: [rtUrn] });
        }
        // Every fifth team's S3 endpoint is on no route table: the stack policy has findings to report.
        const routed = t % 5 !== 4;
        add("aws:ec2/vpcEndpoint:VpcEndpoint", `s3-${t}`, { vpcId, serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway", routeTableIds: routed ? [rtId] : [] },
            routed ? { vpcId: [vpcUrn], routeTableIds: [rtUrn] } : { vpcId: [vpcUrn] });
        if (t % 2 === 0) {
            add("aws:ec2/vpcEndpoint:VpcEndpoint", `api-${t}`, { vpcId, serviceName: "com.amazonaws.us-east-1.sagemaker.api", vpcEndpointType: "Interface", privateDnsEnabled: true, subnetIds: subnets }, { vpcId: [vpcUrn], subnetIds: subnetUrns });
        }
        const vpcConfig = { subnets: subnets.slice(0, 2), securityGroupIds: ["sg-0123456789abcdef0"] };
        for (let m = 0; m < 3; m++) {
            add("aws:sagemaker/model:Model", `model-${t}-${m}`, {
                executionRoleArn: "arn:aws:iam::123456789012:role/sagemaker",
                primaryContainer: { image: m === 0 ? PYTORCH.replace("training", "inference") : CUSTOM, modelDataUrl: `s3://team-${t}/model.tar.gz`, environment: { SAGEMAKER_PROGRAM: "inference.py" } },
                enableNetworkIsolation: m !== 2,
                vpcConfig,
            }, { vpcConfig: subnetUrns.slice(0, 2), executionRoleArn: [urn("aws:iam/role:Role", `role-${t}`)] });
        }
        for (let j = 0; j < 2; j++) {
            add("aws:sagemaker/trainingJob:TrainingJob", `train-${t}-${j}`, {
                algorithmSpecification: { trainingImage: PYTORCH, trainingInputMode: "File" },
                hyperParameters: { epochs: "5", sagemaker_submit_directory: "/opt/ml/input/data/code" },
                roleArn: "arn:aws:iam::123456789012:role/sagemaker",
                enableNetworkIsolation: true,
                vpcConfig: j === 0 ? vpcConfig : undefined,
            }, j === 0 ? { vpcConfig: subnetUrns.slice(0, 2) } : {});
        }
        add("aws:sagemaker/pipeline:Pipeline", `pipeline-${t}`, { pipelineName: `team-${t}`, roleArn: "arn:aws:iam::123456789012:role/sagemaker", pipelineDefinition: pipelineDefinition(t, subnets.slice(1)) },
            { pipelineDefinition: subnetUrns.slice(1) });
        add("aws:sfn/stateMachine:StateMachine", `sfn-${t}`, { roleArn: "arn:aws:iam::123456789012:role/sfn", definition: stateMachineDefinition(t, subnets.slice(0, 1)) },
            { definition: subnetUrns.slice(0, 1) });
        add("aws:iam/role:Role", `role-${t}`, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] }) });
        for (let b = 0; b < 2; b++) {
            add("aws:s3/bucket:Bucket", `bucket-${t}-${b}`, { bucket: `team-${t}-${b}`, forceDestroy: false, tags: { team: `${t}` } });
        }
        for (let x = 0; x < 3; x++) {
            add("aws:cloudwatch/logGroup:LogGroup", `logs-${t}-${x}`, { name: `/team/${t}/${x}`, retentionInDays: 30 });
        }
        add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `attach-${t}`, { role: `role-${t}`, policyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" }, { role: [urn("aws:iam/role:Role", `role-${t}`)] });
        add("aws:ec2/securityGroup:SecurityGroup", `sg-${t}`, { vpcId, ingress: [], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }] }, { vpcId: [vpcUrn] });
    }
    // undefined members are not valid protobuf Struct values
    return JSON.parse(JSON.stringify(out.slice(0, size))) as AnalyzerResource[];
}
