// A model from an AWS Marketplace model package (a listing in the us-east-1 Marketplace account
// 865070037744) with network isolation explicitly off. AWS rejects such a model at creation;
// the pack's Marketplace policy reports it as a mandatory violation before deployment.
import * as aws from "@pulumi/aws";

const role = new aws.iam.Role("marketplace-execution", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("marketplace-sagemaker-access", {
    role: role.name,
    policyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
});

const model = new aws.sagemaker.Model("vendor-sentiment", {
    executionRoleArn: role.arn,
    enableNetworkIsolation: false,
    primaryContainer: {
        modelPackageName: "arn:aws:sagemaker:us-east-1:865070037744:model-package/sentiment-analysis-v3-4f9c2a7e1b",
    },
});

new aws.sagemaker.EndpointConfiguration("vendor-sentiment", {
    productionVariants: [{
        variantName: "primary",
        modelName: model.name,
        initialInstanceCount: 1,
        instanceType: "ml.m5.large",
    }],
});

export const modelName = model.name;
