// A compliant inference model: network isolation on, attached to two private subnets of a VPC
// without internet access, whose route table has an S3 gateway endpoint so SageMaker can fetch
// the model artifacts.
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("ml-vpc", {
    cidrBlock: "10.20.0.0/16",
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { Name: "ml-vpc" },
});

const privateA = new aws.ec2.Subnet("private-a", {
    vpcId: vpc.id,
    cidrBlock: "10.20.1.0/24",
    availabilityZone: "us-east-1a",
    tags: { Name: "ml-private-a" },
});
const privateB = new aws.ec2.Subnet("private-b", {
    vpcId: vpc.id,
    cidrBlock: "10.20.2.0/24",
    availabilityZone: "us-east-1b",
    tags: { Name: "ml-private-b" },
});

// No internet gateway, no NAT: the only way out of these subnets is the S3 endpoint.
const routes = new aws.ec2.RouteTable("private", { vpcId: vpc.id, tags: { Name: "ml-private" } });
new aws.ec2.RouteTableAssociation("private-a", { subnetId: privateA.id, routeTableId: routes.id });
new aws.ec2.RouteTableAssociation("private-b", { subnetId: privateB.id, routeTableId: routes.id });

new aws.ec2.VpcEndpoint("s3", {
    vpcId: vpc.id,
    serviceName: "com.amazonaws.us-east-1.s3",
    vpcEndpointType: "Gateway",
    routeTableIds: [routes.id],
});

const sg = new aws.ec2.SecurityGroup("model", {
    vpcId: vpc.id,
    description: "SageMaker model containers (no ingress)",
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [vpc.cidrBlock] }],
});

const role = new aws.iam.Role("sagemaker-execution", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("sagemaker-full-access", {
    role: role.name,
    policyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
});

export const model = new aws.sagemaker.Model("fraud-scorer", {
    executionRoleArn: role.arn,
    enableNetworkIsolation: true,
    primaryContainer: {
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer:2.3.1",
        modelDataUrl: "s3://ml-artifacts-123456789012/fraud-scorer/2.3.1/model.tar.gz",
        environment: { SAGEMAKER_PROGRAM: "inference.py", SAGEMAKER_SUBMIT_DIRECTORY: "/opt/ml/model/code" },
    },
    vpcConfig: {
        subnets: [privateA.id, privateB.id],
        securityGroupIds: [sg.id],
    },
});

export const modelName = model.name;
