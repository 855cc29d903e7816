import { exemptionSnippet } from "../frame/exemptions";
import { Finding, notApplicable, rule, StackContext, Verdict } from "../frame/frame";
import { componentNotes, dualStackEgress, mayBeJudged, Network, readSettings, ResourceReport, SETTINGS, StackIndex, subject } from "../network";
import { isRecordsStack, STACK_TYPE } from "../values/wire";

/**
 * Every VPC-attached model or job of the stack, every notebook instance without direct internet
 * access and every VpcOnly Studio domain, and the services their subnets reach no endpoint for.
 * Also, across the stack, the inference components whose endpoint configuration (where the
 * model isolation policy judges their isolation) the stack does not declare: a note each.
 */
function check({ args, config, isolationPolicy }: StackContext): Verdict {
    const settings = readSettings(config);
    const stack = new StackIndex(args.resources, mayBeJudged);
    // AWS's records hold no network: a VPC they do not hold cannot be judged rather than declared.
    const records = isRecordsStack(stack.ofType(STACK_TYPE));
    const judgedBy = isolationPolicy("component");
    const components: Finding[] = records || judgedBy === undefined ? []
        : componentNotes(stack, { isolationPolicy: judgedBy, exemption: name => `${exemptionSnippet(name)} in the configuration of ${POLICY}` });
    // Each resource judged as it is read (its workloads are dropped right after), over a network built at the first one.
    let net: Network | undefined;
    const out: Finding[] = [...components];
    const judged = stack.judged;
    for (let i = 0; i < judged.length; i++) { // (indexed: no iterator results while the code is still cold)
        const r = judged[i];
        const s = subject(r, settings);
        if (s === undefined) {
            continue;
        }
        net ??= new Network(stack, settings);
        const report = new ResourceReport(r);
        for (const a of s.attached) {
            report.add(net, a);
        }
        for (const n of s.notes) {
            report.note(n);
        }
        for (const f of report.findings(settings.reportUnresolved && !records)) {
            out.push(f);
        }
    }
    if (net === undefined) {
        return components.length > 0 ? components
            : notApplicable("No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC");
    }
    for (const f of dualStackEgress(stack, net.graph)) { // IPv6 egress of dual-stack VpcOnly domains
        out.push(f);
    }
    return out.length === 0 && records
        ? notApplicable("AWS records: they do not hold the VPCs of their SageMaker resources, so those VPCs' endpoints cannot be judged")
        : out;
}

const POLICY = "sagemaker-vpc-endpoints";

export default rule({
    name: POLICY,
    subject: { stack: true },
    description: "SageMaker models and jobs attached to a VPC, notebook instances without direct internet access and " +
        "VpcOnly Studio domains reach the AWS services they need through VPC endpoints that carry their subnets' " +
        "traffic (at least Amazon S3): SageMaker moves their data through the VPC's subnets, which reach AWS services " +
        "otherwise only through a NAT gateway, to the services' public endpoints, under no endpoint policy.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["sagemaker", "vpc", "vpc-endpoints", "private-networking"],
    remediationSteps: "Add an aws.ec2.VpcEndpoint to the VPC for each required service: a Gateway endpoint for " +
        "com.amazonaws.<region>.s3 on the route tables of the workload's subnets (routeTableIds), and Interface " +
        "endpoints with privateDnsEnabled for other services the container, job, notebook or Studio uses (e.g. " +
        "sagemaker.api, sagemaker.runtime, sts, logs). To accept a NAT gateway instead, set natCounts: true; for " +
        "endpoints in a hub behind a transit gateway, centralizedEndpoints; for subnets of another stack, externalSubnets.",
    settings: SETTINGS,
    check,
});
