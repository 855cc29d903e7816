// A SageMaker Pipeline whose definition is JSON: a preprocessing job and a training job with
// network isolation on (two steps, no model step). The processing step sets no
// NetworkConfig, so it runs with network access: an advisory finding.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const data = new aws.s3.BucketV2("pipeline-data", { forceDestroy: true });

const role = new aws.iam.Role("pipeline-execution", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("pipeline-sagemaker-access", {
    role: role.name,
    policyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
});

const definition = pulumi.all([data.bucket, role.arn]).apply(([bucket, roleArn]) => JSON.stringify({
    Version: "2020-12-01",
    Parameters: [
        { Name: "InputData", Type: "String", DefaultValue: `s3://${bucket}/raw/` },
        { Name: "TrainingInstanceType", Type: "String", DefaultValue: "ml.m5.xlarge" },
    ],
    Steps: [
        {
            Name: "Preprocess",
            Type: "Processing",
            Arguments: {
                ProcessingResources: { ClusterConfig: { InstanceType: "ml.m5.xlarge", InstanceCount: 1, VolumeSizeInGB: 30 } },
                AppSpecification: {
                    ImageUri: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
                    ContainerEntrypoint: ["python3", "/opt/ml/processing/input/code/preprocess.py"],
                },
                RoleArn: roleArn,
                ProcessingInputs: [
                    { InputName: "raw", S3Input: { S3Uri: { Get: "Parameters.InputData" }, LocalPath: "/opt/ml/processing/input/raw", S3DataType: "S3Prefix", S3InputMode: "File" } },
                    { InputName: "code", S3Input: { S3Uri: `s3://${bucket}/code/preprocess.py`, LocalPath: "/opt/ml/processing/input/code", S3DataType: "S3Prefix", S3InputMode: "File" } },
                ],
                ProcessingOutputConfig: {
                    Outputs: [{ OutputName: "train", S3Output: { S3Uri: `s3://${bucket}/train/`, LocalPath: "/opt/ml/processing/train", S3UploadMode: "EndOfJob" } }],
                },
            },
        },
        {
            Name: "Train",
            Type: "Training",
            Arguments: {
                AlgorithmSpecification: {
                    TrainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
                    TrainingInputMode: "File",
                },
                EnableNetworkIsolation: true,
                RoleArn: roleArn,
                HyperParameters: { objective: "binary:logistic", num_round: "200", max_depth: "6" },
                InputDataConfig: [{
                    ChannelName: "train",
                    DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: { Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" }, S3DataDistributionType: "FullyReplicated" } },
                    ContentType: "text/csv",
                }],
                OutputDataConfig: { S3OutputPath: `s3://${bucket}/models/` },
                ResourceConfig: { InstanceType: { Get: "Parameters.TrainingInstanceType" }, InstanceCount: 1, VolumeSizeInGB: 30 },
                StoppingCondition: { MaxRuntimeInSeconds: 3600 },
            },
        },
    ],
}));

export const pipeline = new aws.sagemaker.Pipeline("churn-training", {
    pipelineName: "churn-training",
    pipelineDisplayName: "churn-training",
    roleArn: role.arn,
    pipelineDefinition: definition,
});
