// A model served by AWS's managed Chainer container, with network isolation on. The Chainer
// container downloads its inference code from Amazon S3 when it starts, which isolation blocks,
// so the model would fail to start: the framework compatibility policy warns about it.
import * as aws from "@pulumi/aws";

const artifacts = new aws.s3.BucketV2("chainer-artifacts", { forceDestroy: true });

const role = new aws.iam.Role("chainer-execution", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicy("chainer-artifacts-read", {
    role: role.id,
    policy: artifacts.arn.apply(arn => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [arn, `${arn}/*`] }],
    })),
});

export const model = new aws.sagemaker.Model("chainer-classifier", {
    executionRoleArn: role.arn,
    enableNetworkIsolation: true,
    primaryContainer: {
        image: "520713654638.dkr.ecr.us-east-1.amazonaws.com/sagemaker-chainer:5.0.0-cpu-py3",
        modelDataUrl: artifacts.bucket.apply(b => `s3://${b}/chainer-classifier/model.tar.gz`),
        environment: {
            SAGEMAKER_PROGRAM: "predict.py",
            SAGEMAKER_SUBMIT_DIRECTORY: artifacts.bucket.apply(b => `s3://${b}/chainer-classifier/sourcedir.tar.gz`),
            SAGEMAKER_REGION: "us-east-1",
        },
    },
});
