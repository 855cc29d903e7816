import { PolicyResource } from "@pulumi/policy";
import { Finding, notApplicable, rule, StackContext, Verdict } from "../lib/frame";
import { SEALED, unreadable } from "../lib/values";
import { mergeWhy, Network, Placement, regionOf, serviceName, Subnet, Vpc, Why } from "../network";
import { extract, KIND_NOUNS, Workload, WORKLOAD_TYPES } from "../workloads";
import { noteMessage } from "../wire";

/** How many workloads a message lists before "and N more" (subnets: 5, reasons: 2). */
const HANDFUL = 3;

function list(items: string[], max = HANDFUL): string {
    const shown = items.slice(0, max);
    const more = items.length - shown.length;
    if (more > 0) {
        return `${shown.join(", ")} and ${more} more`;
    }
    return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}` : shown.join("");
}

function vpcName(vpc: Vpc): string {
    return vpc.resource ? `VPC ${vpc.resource.name}` : "its VPC";
}

function strings(v: unknown, dflt: string[]): string[] {
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : dflt;
}

/** The subnets that miss a service, and why. */
interface Missing {
    subnets: Set<Subnet>;
    why: Why[];
}

/** What one resource's workloads amount to, gathered so each resource gets one finding per VPC and per kind of problem. */
class ResourceReport {
    /** By VPC key: the workloads that miss services there, and per service which subnets, and why. */
    private readonly missing = new Map<string, { vpc: Vpc; workloads: Set<Workload>; services: Map<string, Missing> }>();
    private readonly unverifiable = new Map<string, { workloads: Set<Workload>; services: Set<string>; subnets: Set<Subnet> }>();
    private readonly notes: string[] = [];

    constructor(private readonly r: PolicyResource) { }

    /** `services` the workload needs; `unlessIsolated`: those it needs unless it is isolated, which is not known yet. */
    add(net: Network, w: Workload, services: string[], unlessIsolated: string[]): void {
        const p: Placement = net.placement(this.r, w.vpc!);
        const all = [...services, ...unlessIsolated];
        if (p.runTime) {
            this.cannotVerify("run time", w, all);
        }
        if (p.undeclared) {
            this.cannotVerify("undeclared", w, all);
        }
        if (p.pending) {
            this.note(p.sealed
                ? noteMessage(false, `${this.what([w])} is in subnets given as a secret that could not be decrypted, so its VPC endpoints cannot be checked.`)
                : noteMessage(true, `${this.what([w])} is in subnets whose VPC is not known yet; its VPC endpoints are checked when it is.`));
        }
        for (const service of all) {
            const reach = net.reach(p, service);
            if (!services.includes(service) && (reach.missing.size > 0 || reach.elsewhere.size > 0)) {
                // Needed only if the workload is not isolated, and that cannot be read.
                this.note(w.isolation === SEALED
                    ? noteMessage(false, `${this.what([w])} needs a VPC endpoint for ${service} unless it is isolated, and ${w.isolationPath} is a secret that could not be decrypted.`)
                    : noteMessage(true, `${this.what([w])} needs a VPC endpoint for ${service} unless it is isolated; this is checked when enableNetworkIsolation is known.`));
                continue;
            }
            for (const { vpc, subnets, why } of reach.missing.values()) {
                const group = this.missing.get(vpc.key) ?? { vpc, workloads: new Set<Workload>(), services: new Map<string, Missing>() };
                this.missing.set(vpc.key, group);
                group.workloads.add(w);
                const entry: Missing = group.services.get(service) ?? { subnets: new Set(), why: [] };
                group.services.set(service, entry);
                subnets.forEach(s => entry.subnets.add(s));
                mergeWhy(entry.why, why);
            }
            for (const [what, subnets] of reach.elsewhere) {
                this.cannotVerify(what, w, [service], subnets);
            }
            if (reach.pending) {
                const { vpc, until } = reach.pending;
                this.note(noteMessage(true, `${this.what([w])} ` + (vpc
                    ? `is in ${vpcName(vpc)}; whether it has VPC endpoints for ${service} is checked when ${until} are known.`
                    : "is in subnets whose VPC is not known yet; its VPC endpoints are checked when it is.")));
            }
        }
    }

    findings(reportUnverifiable: boolean): Finding[] {
        const out: Finding[] = [];
        for (const { vpc, workloads, services } of this.missing.values()) {
            const ws = [...workloads];
            const region = vpc.region ?? this.regionOfSubnets(services) ?? regionOf(this.r);
            out.push({ urn: this.r.urn, message: `${this.what(ws)} ${ws.length > 1 ? "are" : "is"} in ${vpcName(vpc)}, ${this.problems(services, region)}` });
        }
        if (reportUnverifiable) {
            for (const [what, { workloads, services, subnets }] of this.unverifiable) {
                const ws = [...workloads];
                const one = ws.length === 1;
                const where = what === "run time" ? `${one ? "gets its" : "get their"} subnets at run time`
                    : what === "undeclared" ? `${one ? "uses" : "use"} subnets that are not declared in this stack`
                    : `${one ? "is" : "are"} in subnets ${list([...subnets].map(s => s.label))} whose ${what} is not declared in this stack`;
                out.push({
                    urn: this.r.urn,
                    message: `${this.what(ws)} ${where}, so ${one ? "its" : "their"} VPC endpoints (${[...services].join(", ")}) cannot be verified. ` +
                        (what === "run time" ? "Use fixed subnets, or set unresolvedVpc to \"ignore\"."
                            : what === "route table" ? "Declare the route table here, or set unresolvedVpc to \"ignore\" for networks managed elsewhere."
                            : "Declare the VPC here, or set unresolvedVpc to \"ignore\" for VPCs managed elsewhere."),
                });
            }
        }
        return out.concat(this.notes.map(message => ({ urn: this.r.urn, note: true, message })));
    }

    private problems(services: Map<string, Missing>, region: string | undefined): string {
        const none = [...services].filter(([, e]) => e.why.length === 0).map(([s]) => serviceName(s, region));
        const parts: string[] = none.length > 0 ? [`which has no VPC endpoint for ${none.join(", ")}`] : [];
        const fixes = new Set<string>(none.length > 0 ? ["add the missing endpoints (aws.ec2.VpcEndpoint)"] : []);
        for (const [service, { subnets, why }] of services) {
            if (why.length === 0) {
                continue;
            }
            const ids = [...subnets].map(s => s.label);
            const their = ids.length > 1 ? "their" : "its";
            const reasons = why.map(y => y.reason === "route" ? `Gateway endpoint ${y.endpoint} is not on ${their} route table${ids.length > 1 ? "s" : ""}`
                : y.reason === "dns" ? `Interface endpoint ${y.endpoint} has private DNS off (privateDnsEnabled), so the service's usual hostnames do not resolve to it`
                : `Interface endpoint ${y.endpoint} leaves traffic from the VPC to a Gateway endpoint (dnsOptions.privateDnsOnlyForInboundResolverEndpoint)`);
            parts.push(`${parts.length === 0 ? "where " : ""}subnet${ids.length > 1 ? "s" : ""} ${list(ids, 5)} ${ids.length > 1 ? "have" : "has"} no route to ${serviceName(service, region)}: ${list(reasons, 2)}`);
            for (const y of why) {
                fixes.add(y.reason === "dns" ? "set privateDnsEnabled: true on the Interface endpoint"
                    : "put a Gateway endpoint on the subnets' route tables (routeTableIds or aws.ec2.VpcEndpointRouteTableAssociation)");
            }
        }
        const todo = [...fixes].join(", and ");
        return `${parts.join("; ")}. ${todo.charAt(0).toUpperCase()}${todo.slice(1)}, so SageMaker can reach ${[...services.keys()].join(", ")} from the VPC.`;
    }

    private regionOfSubnets(services: Map<string, Missing>): string | undefined {
        for (const { subnets } of services.values()) {
            for (const s of subnets) {
                if (s.region) {
                    return s.region;
                }
            }
        }
        return undefined;
    }

    /** `r: the training job at P`, or a handful of them "and N more". */
    private what(ws: Workload[]): string {
        return `${this.r.name}: ${list(ws.map(w => `the ${KIND_NOUNS[w.kind]} at ${w.vpc!.path}`))}`;
    }

    private cannotVerify(what: string, w: Workload, services: string[], subnets: Subnet[] = []): void {
        const entry = this.unverifiable.get(what) ?? { workloads: new Set(), services: new Set(), subnets: new Set() };
        this.unverifiable.set(what, entry);
        entry.workloads.add(w);
        services.forEach(s => entry.services.add(s));
        subnets.forEach(s => entry.subnets.add(s));
    }

    private note(message: string): void {
        // The frame reports a resource's preview notes as one; a few distinct ones are enough to count.
        if (this.notes.length < 10 && !this.notes.includes(message)) {
            this.notes.push(message);
        }
    }
}

/** Every VPC-attached workload of the stack, and the services its subnets reach no endpoint for. */
function check({ args, config }: StackContext): Verdict {
    const required = strings(config["requiredServices"], ["s3"]);
    const withoutIsolation = strings(config["requiredServicesWithoutIsolation"], []).filter(s => !required.includes(s));
    const attached: { r: PolicyResource; workloads: Workload[] }[] = [];
    for (const r of args.resources) {
        if (WORKLOAD_TYPES.has(r.type)) {
            const workloads = extract(r.type, r.props).workloads.filter(w => w.vpc);
            if (workloads.length > 0) {
                attached.push({ r, workloads });
            }
        }
    }
    if (attached.length === 0) {
        return notApplicable("No SageMaker model or job of this stack is attached to a VPC");
    }
    const net = new Network(args.resources);
    const out: Finding[] = [];
    for (const { r, workloads } of attached) {
        const report = new ResourceReport(r);
        for (const w of workloads) {
            // Isolated: the container makes no call; not isolated (or set at run time): it may call any service.
            const extra = w.isolation === "on" ? [] : withoutIsolation;
            const unread = unreadable(w.isolation) !== undefined;
            report.add(net, w, unread ? required : [...required, ...extra], unread ? extra : []);
        }
        out.push(...report.findings(config["unresolvedVpc"] !== "ignore"));
    }
    return out;
}

export default rule({
    name: "sagemaker-vpc-endpoints",
    subject: { stack: true },
    description: "SageMaker models and jobs attached to a VPC reach the AWS services they need through VPC endpoints " +
        "that carry their subnets' traffic (at least Amazon S3): with or without network isolation, SageMaker moves " +
        "their data and model artifacts through the VPC's subnets, which have no route to AWS services otherwise.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["sagemaker", "vpc", "vpc-endpoints", "private-networking"],
    remediationSteps: "Add an aws.ec2.VpcEndpoint to the VPC for each required service: a Gateway endpoint for " +
        "com.amazonaws.<region>.s3 on the route tables of the workload's subnets (routeTableIds), and Interface " +
        "endpoints with privateDnsEnabled for other services the container or job uses (e.g. sts, logs).",
    settings: {
        requiredServices: {
            type: "array",
            items: { type: "string", pattern: "^[a-z0-9][a-z0-9.-]*$" },
            uniqueItems: true,
            default: ["s3"],
            description: "Services (the part after com.amazonaws.<region>.) every VPC-attached model or job needs an endpoint for.",
        },
        requiredServicesWithoutIsolation: {
            type: "array",
            items: { type: "string", pattern: "^[a-z0-9][a-z0-9.-]*$" },
            uniqueItems: true,
            default: [],
            description: "More services needed by models and jobs whose network isolation is not on: their containers " +
                "call AWS services through the VPC (an isolated container makes no network call).",
        },
        unresolvedVpc: {
            type: "string",
            enum: ["report", "ignore"],
            default: "report",
            description: "What to do when a workload's subnets, their VPC or their route tables are not declared in " +
                "this stack: report that its endpoints cannot be verified, or ignore it (networks managed in another stack).",
        },
    },
    check,
});
