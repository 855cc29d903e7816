import { Finding, note, rule, WorkloadContext } from "../frame/frame";
import { unreadableFindings } from "../frame/isolation";
import { DYNAMIC, unreadable } from "../values/values";
import { ALL_KINDS, KIND_NOUNS } from "../workloads";

/** Models, jobs and HyperPod clusters (whose instance groups may override the cluster's VpcConfig). */
const KINDS = [...ALL_KINDS, "cluster" as const];
import { unreadableNote } from "../values/wire";

/**
 * Every workload declares a VpcConfig. A VpcConfig written in the request attaches the workload to
 * a VPC whatever its subnets are (AWS requires at least one): subnets set at run time or not known
 * yet pass. A VpcConfig set at run time (or a request or NetworkConfig wholly set at run time) may
 * carry none: a violation, as the isolation rules treat run-time values.
 */
function check({ name, subject, workloads, extraction }: WorkloadContext): Finding[] {
    const out: Finding[] = [];
    for (const w of workloads) {
        const noun = KIND_NOUNS[w.kind];
        const where = `${name}: ${w.vpcPath}`;
        const why = unreadable(w.vpcState);
        if (why) {
            out.push(note(unreadableNote(why, where, `, so whether the ${noun} runs in your VPC cannot be checked.`)));
        } else if (w.vpcState === DYNAMIC) {
            out.push({ message: `${where} is set at run time, so the ${noun} cannot be guaranteed to run in your VPC. Write VpcConfig (Subnets, SecurityGroupIds) into the definition.` });
        } else if (w.vpcState === "absent" && w.kind === "cluster") {
            out.push({ message: `${where} is not set, so the ${noun}'s instances run in a VPC SageMaker manages, not yours (AWS requires it ` +
                "for EKS orchestration). Set it to private subnets and security groups of your VPC; it cannot be changed after the cluster is created." });
        } else if (w.vpcState === "absent") {
            out.push({ message: `${where} is not set, so SageMaker's traffic for the ${noun} does not go through your VPC. Set it to subnets and security groups of your VPC.` });
        }
        for (const path of w.overridesWithoutSubnets ?? []) {
            out.push({ message: `${name}: ${path} has no subnets, so the instance group is not placed in subnets of your VPC. Set its subnets (and securityGroupIds).` });
        }
    }
    return [...out, ...unreadableFindings(name, extraction.unreadable, subject.noun)];
}

export default rule({
    name: "sagemaker-workloads-in-vpc",
    subject: { workloads: KINDS, noun: "models or jobs", records: ["cluster"] },
    description: "SageMaker models and jobs run attached to your VPC (VpcConfig). Network isolation blocks the " +
        "container's own traffic; a VPC keeps the traffic SageMaker itself sends for the workload (data and model " +
        "artifacts from and to Amazon S3, traffic between training instances) on your network, where endpoint " +
        "policies, security groups and flow logs apply (AWS Config sagemaker-model-in-vpc).",
    enforcementLevel: "disabled",
    severity: "medium",
    tags: ["sagemaker", "vpc", "network"],
    framework: {
        name: "AWS Config managed rules",
        version: "1.0.0",
        reference: "SAGEMAKER_MODEL_IN_VPC",
        specification: "A SageMaker model has a VpcConfig (sagemaker-model-in-vpc); this policy asks the same of " +
            "training, tuning, processing and monitoring jobs, and of HyperPod clusters and their instance groups' overrides.",
    },
    remediationSteps: "Set vpcConfig (VpcConfig in a pipeline step or a Step Functions task; NetworkConfig.VpcConfig for " +
        "processing and monitoring jobs) to private subnets and security groups of your VPC. The subnets need a " +
        "route to Amazon S3 (a gateway endpoint) and, for workloads without network isolation, endpoints or a NAT " +
        "gateway for the services the container calls (see sagemaker-vpc-endpoints).",
    check,
});
