import { ResourceValidationArgs } from "@pulumi/policy";
import { Finding, note, rule, TypeContext } from "../frame/frame";
import { isSet, prop, requireValue } from "../frame/properties";
import { remediateType } from "../frame/remediation";
import { isOpaque, Obj, unreadable } from "../values/values";
import { unreadableNote } from "../values/wire";

const TYPES = ["aws:sagemaker/notebookInstance:NotebookInstance", "aws-native:sagemaker:NotebookInstance"];

/** The security groups property: `securityGroups` in @pulumi/aws, `securityGroupIds` in aws-native (CloudFormation's name). */
const groupsKey = (type: string) => type.startsWith("aws-native:") ? "securityGroupIds" : "securityGroups";

/**
 * Whether `subnetId` (as `prop` reads it) is a subnet: a string with something other than white
 * space in it, or a value not known yet or sealed. `[]`, `" "`, `false`, `0` or `{}` is not.
 */
function isSubnet(v: unknown): boolean {
    return typeof v === "string" ? v.trim() !== "" : isOpaque(v);
}

/** Of the subnet and security groups AWS requires for `Disabled`, the properties not set. */
function missingPlacement(type: string, props: Obj): string[] {
    const groups = isSet(prop(props, groupsKey(type))) ? [] : [groupsKey(type)];
    return [...(isSubnet(prop(props, "subnetId")) ? [] : ["subnetId"]), ...groups];
}

function allowedSubnets(config: Obj): string[] {
    const v = config["allowedSubnetIds"];
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

function check({ name, type, props, config }: TypeContext): Finding[] {
    const missing = missingPlacement(type, props);
    const first = missing.length > 0 ? ` AWS requires a subnet and security groups for Disabled: set ${missing.join(" and ")} first.` : "";
    const out = requireValue(name, props, {
        key: "directInternetAccess",
        value: "Disabled",
        awsDefault: "Enabled",
        effect: "the notebook instance has direct internet access",
        subject: "internet access of the notebook instance",
        fix: `Set it to Disabled.${first} The instance then reaches SageMaker and other AWS services through your VPC: VPC endpoints or a NAT gateway.`,
    });
    const subnet = prop(props, "subnetId");
    const allowed = allowedSubnets(config);
    const why = unreadable(subnet);
    if (!isSubnet(subnet)) {
        out.push({ message: `${name}: subnetId is not set, so the notebook instance runs outside your VPC. Set subnetId to a subnet of your VPC, and ${groupsKey(type)}.` });
    } else if (why && allowed.length > 0) {
        out.push(note(unreadableNote(why, `${name}: subnetId`, ", so whether the notebook instance is in one of this policy's allowedSubnetIds cannot be checked.")));
    } else if (!why && allowed.length > 0 && !allowed.includes(subnet as string)) {
        out.push({ message: `${name}: subnetId is not one of this policy's allowedSubnetIds. Put the notebook instance in one of those subnets, or add its subnet to the setting.` });
    }
    return out;
}

export default rule({
    name: "sagemaker-notebook-network-access",
    subject: { types: TYPES, noun: "SageMaker notebook instance", records: true },
    description: "SageMaker notebook instances have no direct internet access (DirectInternetAccess: Disabled) and run in " +
        "a subnet of your VPC, so notebook code and the data it reads cannot leave except through your network's controls.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["sagemaker", "notebook", "internet-access", "vpc", "data-exfiltration"],
    framework: {
        name: "AWS Foundational Security Best Practices",
        version: "1.0.0",
        reference: "SageMaker.1, SageMaker.2",
        specification: "SageMaker notebook instances should not have direct internet access, and should be launched in a " +
            "custom VPC (AWS Config SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS, SAGEMAKER_NOTEBOOK_INSTANCE_INSIDE_VPC).",
    },
    remediationSteps: "Set subnetId (a private subnet of your VPC) and securityGroups (securityGroupIds in aws-native), " +
        "then directInternetAccess: \"Disabled\". AWS defaults to Enabled and rejects Disabled without a subnet and " +
        "security groups. Give the subnet VPC endpoints (SageMaker API and runtime, S3, ...) or a NAT gateway. Changing " +
        "either setting replaces the instance; save its work first.",
    settings: {
        allowedSubnetIds: {
            type: "array",
            items: { type: "string", pattern: "^subnet-[0-9a-f]+$", description: "A subnet id: subnet- and hexadecimal digits." },
            uniqueItems: true,
            default: [],
            description: "When set, a notebook instance's subnetId must be one of these subnets (as AWS Config's " +
                "sagemaker-notebook-instance-inside-vpc SubnetIds parameter).",
        },
    },
    check,
    // Disabled only where AWS accepts it: with a subnet and security groups; never a value not known yet.
    remediate: (args: ResourceValidationArgs) => remediateType(args, TYPES, props => {
        const v = prop(props, "directInternetAccess");
        return v === "Disabled" || unreadable(v) || missingPlacement(args.type, props).length > 0
            ? undefined : { directInternetAccess: "Disabled" };
    }),
});
