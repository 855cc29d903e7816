import { ResourceValidationArgs } from "@pulumi/policy";
import { rule, TypeContext } from "../frame/frame";
import { prop, requireValue } from "../frame/properties";
import { remediateType } from "../frame/remediation";
import { unreadable } from "../values/values";

const TYPES = ["aws:sagemaker/domain:Domain", "aws-native:sagemaker:Domain"];

/** What VpcOnly asks of the domain's VPC, in the finding and the remediation steps alike. */
const NEEDS = "Studio apps then reach AWS services only through the domain's subnets: give them VPC endpoints " +
    "(SageMaker API and runtime, S3, and the others the notebooks use) or a NAT gateway first.";

const check = ({ name, props }: TypeContext) => requireValue(name, props, {
    key: "appNetworkAccessType",
    value: "VpcOnly",
    awsDefault: "PublicInternetOnly",
    effect: "Studio apps reach the internet through a network SageMaker manages, not your VPC",
    subject: "the network access of the domain's Studio apps",
    fix: `Set it to VpcOnly. ${NEEDS}`,
});

export default rule({
    name: "sagemaker-studio-vpc-only",
    subject: { types: TYPES, noun: "SageMaker Studio domain", records: true },
    description: "SageMaker Studio domains send their apps' traffic through your VPC only (AppNetworkAccessType: VpcOnly), " +
        "so notebooks cannot reach the internet except through your network's controls.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["sagemaker", "studio", "internet-access", "vpc", "data-exfiltration"],
    framework: {
        name: "AWS Config managed rules",
        version: "1.0.0",
        reference: "SAGEMAKER_DOMAIN_IN_VPC",
        specification: "A SageMaker domain's AppNetworkAccessType is VpcOnly (sagemaker-domain-in-vpc).",
    },
    remediationSteps: `Set appNetworkAccessType: "VpcOnly" on the domain (AWS defaults to PublicInternetOnly). ${NEEDS} ` +
        "On an existing domain AWS changes it only while none of its apps is InService, Pending or Deleting (UpdateDomain).",
    check,
    // VpcOnly wherever the value is known and not VpcOnly (a domain always has its vpcId and subnetIds).
    remediate: (args: ResourceValidationArgs) => remediateType(args, TYPES, props => {
        const v = prop(props, "appNetworkAccessType");
        return v === "VpcOnly" || unreadable(v) ? undefined : { appNetworkAccessType: "VpcOnly" };
    }),
});
