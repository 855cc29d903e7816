import { PolicyResource } from "@pulumi/policy";
import { Finding, notApplicable, rule, StackContext, Verdict } from "../frame/frame";
import { asString, classify, isObj, isOpaque, Opaque, SEALED, UNKNOWN, unreadable, unwrap } from "../values/values";
import { mergeWhy, Network, Placement, regionOf, serviceName, Subnet, Vpc, Why } from "../network";
import { extract, KIND_NOUNS, VpcAttachment, WORKLOAD_TYPES } from "../workloads";
import { isRecordsStack, noteMessage } from "../values/wire";
import { dualStackEgress } from "../network/ipv6";

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

/** One thing of a resource that is in the VPC's subnets: a model or job, a notebook instance, a Studio domain. */
interface Attached {
    /** How messages name it: `the model at vpcConfig`. */
    what: string;
    vpc: VpcAttachment;
    /** The services it needs. */
    services: string[];
    /** Services it needs unless it is isolated, which cannot be read yet (`path`: where isolation is; `sealed`: a secret). */
    unlessIsolated?: { services: string[]; path: string; sealed: boolean };
}

/** The subnets no endpoint serves for a service (`subnets`: no way to it; `nat`: through a NAT gateway), and why. */
interface Missing {
    subnets: Set<Subnet>;
    nat: Set<Subnet>;
    why: Why[];
}

/**
 * A service as these settings name it: its short name, the part after `com.amazonaws.<region>.`
 * (`s3`, `sagemaker.api`). A full endpoint service name is refused rather than doubled into
 * `com.amazonaws.<region>.com.amazonaws...`; `not` instead of a lookahead, which Pulumi's
 * Go schema validator (RE2) does not have.
 */
const SERVICE = {
    type: "string" as const,
    pattern: "^[a-z0-9][a-z0-9.-]*$",
    not: { pattern: "^(com\\.amazonaws|cn\\.com\\.amazonaws|aws\\.sagemaker)\\." },
    description: "A service's short name, the part after com.amazonaws.<region>. (e.g. s3, sagemaker.api), not its full endpoint service name.",
};
/** What AWS says a notebook instance without direct internet access and a VpcOnly Studio domain need: the SageMaker API and runtime, and S3. */
const STUDIO_AND_NOTEBOOK_SERVICES = ["sagemaker.api", "sagemaker.runtime", "s3"];

/**
 * Resources that are in a VPC's subnets of their own: a notebook instance without direct internet
 * access (`subnetId`), a Studio domain in VpcOnly mode (`subnetIds`). `setting` must be `value`
 * (AWS's defaults, "Enabled" and "PublicInternetOnly", send their traffic through SageMaker's own
 * VPC); `services` names the setting that lists what they need.
 */
interface PrivateKind {
    noun: string;
    setting: string;
    value: string;
    subnets: string;
    /** `subnets` is a list (else one id). */
    list: boolean;
    services: string;
}
const NOTEBOOK: PrivateKind = { noun: "notebook instance", setting: "directInternetAccess", value: "Disabled", subnets: "subnetId", list: false, services: "requiredServicesForNotebooks" };
const DOMAIN: PrivateKind = { noun: "Studio domain", setting: "appNetworkAccessType", value: "VpcOnly", subnets: "subnetIds", list: true, services: "requiredServicesForStudio" };
const PRIVATE_KINDS = new Map<string, PrivateKind>([
    ["aws:sagemaker/notebookInstance:NotebookInstance", NOTEBOOK],
    ["aws-native:sagemaker:NotebookInstance", NOTEBOOK],
    ["aws:sagemaker/domain:Domain", DOMAIN],
    ["aws-native:sagemaker:Domain", DOMAIN],
]);

/** A resource's properties as plain data. */
function plain(r: PolicyResource): Record<string, unknown> {
    const p = unwrap(r.props);
    return isObj(p) ? p : {};
}

/**
 * A notebook instance or Studio domain in its VPC's subnets, with its services; a note while its
 * setting cannot be read; nothing when it is not in a VPC of its own (or declares no subnets).
 */
function privateResource(r: PolicyResource, kind: PrivateKind, config: Record<string, unknown>): Attached | string | undefined {
    const p = plain(r);
    const raw = classify("camel", p[kind.subnets]);
    let subnets: VpcAttachment["subnets"];
    if (Array.isArray(raw)) {
        subnets = raw.map(v => asString(classify("camel", v))).filter((v): v is string | Opaque => v !== undefined);
    } else {
        const one = asString(raw);
        if (one === undefined) {
            return undefined;
        }
        // One subnet id is a list of one: its dependency record then names exactly that subnet.
        subnets = isOpaque(one) && kind.list ? one : [one];
    }
    const setting = classify("camel", p[kind.setting]);
    const what = `the ${kind.noun} at ${kind.subnets}`;
    if (isOpaque(setting)) {
        return setting === UNKNOWN
            ? noteMessage(true, `${r.name}: ${what} is checked for VPC endpoints when ${kind.setting} is known.`)
            : noteMessage(false, `${r.name}: ${kind.setting} of ${what} is a secret that could not be decrypted, so its VPC endpoints cannot be checked.`);
    }
    if (setting !== kind.value) {
        return undefined;
    }
    return { what, vpc: { path: kind.subnets, subnets }, services: strings(config[kind.services], STUDIO_AND_NOTEBOOK_SERVICES) };
}

/** What one resource's workloads amount to, gathered so each resource gets one finding per VPC and per kind of problem. */
class ResourceReport {
    /** By VPC key: the workloads that miss services there, and per service which subnets, and why. */
    private readonly missing = new Map<string, { vpc: Vpc; workloads: Set<Attached>; services: Map<string, Missing> }>();
    private readonly unverifiable = new Map<string, { workloads: Set<Attached>; services: Set<string>; subnets: Set<Subnet> }>();
    private readonly notes: string[] = [];

    /** `natCounts`: a NAT gateway is accepted instead of an endpoint. */
    constructor(private readonly r: PolicyResource, private readonly natCounts: boolean) { }

    add(net: Network, w: Attached): void {
        const p: Placement = net.placement(this.r, w.vpc);
        const unlessIsolated = w.unlessIsolated?.services ?? [];
        const all = [...w.services, ...unlessIsolated];
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
            const reach = net.reach(p, service, this.natCounts);
            if (w.unlessIsolated && !w.services.includes(service) && (reach.missing.size > 0 || reach.elsewhere.size > 0)) {
                // Needed only if the workload is not isolated, and that cannot be read.
                this.note(w.unlessIsolated.sealed
                    ? noteMessage(false, `${this.what([w])} needs a VPC endpoint for ${service} unless it is isolated, and ${w.unlessIsolated.path} is a secret that could not be decrypted.`)
                    : noteMessage(true, `${this.what([w])} needs a VPC endpoint for ${service} unless it is isolated; this is checked when enableNetworkIsolation is known.`));
                continue;
            }
            for (const { vpc, subnets, nat, why } of reach.missing.values()) {
                const group = this.missing.get(vpc.key) ?? { vpc, workloads: new Set<Attached>(), services: new Map<string, Missing>() };
                this.missing.set(vpc.key, group);
                group.workloads.add(w);
                const entry: Missing = group.services.get(service) ?? { subnets: new Set(), nat: new Set(), why: [] };
                group.services.set(service, entry);
                subnets.forEach(s => entry.subnets.add(s));
                nat.forEach(s => entry.nat.add(s));
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

    /**
     * What is missing in one VPC, service by service: no endpoint at all, or endpoints that do not
     * serve some subnets (and why); for subnets that reach a service through a NAT gateway, that
     * they do, and why an endpoint is asked for all the same.
     */
    private problems(services: Map<string, Missing>, region: string | undefined): string {
        const none = [...services].filter(([, e]) => e.why.length === 0).map(([s]) => serviceName(s, region));
        const parts: string[] = none.length > 0 ? [`which has no VPC endpoint for ${none.join(", ")}`] : [];
        const fixes = new Set<string>(none.length > 0 ? ["add the missing endpoints (aws.ec2.VpcEndpoint)"] : []);
        const plural = (n: number, one: string, many: string) => n > 1 ? many : one;
        for (const [service, { subnets, nat, why }] of services) {
            if (why.length === 0) {
                continue;
            }
            const name = serviceName(service, region);
            for (const [group, state] of [[subnets, `no route to ${name}`], [nat, `no endpoint for ${name} that serves ${plural(nat.size, "it", "them")}`]] as const) {
                if (group.size === 0) {
                    continue;
                }
                const ids = [...group].map(s => s.label);
                const their = plural(ids.length, "its", "their");
                const reasons = why.map(y => y.reason === "route" ? `Gateway endpoint ${y.endpoint} is not on ${their} route table${plural(ids.length, "", "s")}`
                    : y.reason === "dns" ? `Interface endpoint ${y.endpoint} has private DNS off (privateDnsEnabled), so the service's usual hostnames do not resolve to it`
                    : `Interface endpoint ${y.endpoint} leaves traffic from the VPC to a Gateway endpoint (dnsOptions.privateDnsOnlyForInboundResolverEndpoint)`);
                parts.push(`${parts.length === 0 ? "where " : ""}${plural(ids.length, "subnet", "subnets")} ${list(ids, 5)} ${plural(ids.length, "has", "have")} ${state}: ${list(reasons, 2)}`);
            }
            for (const y of why) {
                fixes.add(y.reason === "dns" ? "set privateDnsEnabled: true on the Interface endpoint"
                    : "put a Gateway endpoint on the subnets' route tables (routeTableIds or aws.ec2.VpcEndpointRouteTableAssociation)");
            }
        }
        // Subnets that reach a service through a NAT gateway, and those that have no way to it.
        const viaNat = new Set<Subnet>();
        const natServices: string[] = [];
        const blocked: string[] = [];
        for (const [service, { subnets, nat }] of services) {
            nat.forEach(s => viaNat.add(s));
            if (nat.size > 0) {
                natServices.push(service);
            }
            if (subnets.size > 0) {
                blocked.push(service);
            }
        }
        if (viaNat.size > 0) {
            const ids = [...viaNat].map(s => s.label);
            parts.push(`${parts.length === 0 ? "where " : ""}traffic from ${plural(ids.length, "subnet", "subnets")} ${list(ids, 5)} to ${natServices.join(", ")} ` +
                `goes out through a NAT gateway to the public service endpoint${plural(natServices.length, "", "s")}: it works, but under no endpoint policy`);
        }
        const todo = [...fixes].join(", and ");
        const so = [
            ...blocked.length > 0 ? [`so SageMaker can reach ${blocked.join(", ")} from the VPC`] : [],
            ...natServices.length > 0 ? [`so that traffic to ${natServices.join(", ")} stays on the AWS network under an endpoint policy instead (or set natCounts: true to accept the NAT gateway)`] : [],
        ];
        return `${parts.join("; ")}. ${todo.charAt(0).toUpperCase()}${todo.slice(1)}, ${so.join(", and ")}.`;
    }

    private regionOfSubnets(services: Map<string, Missing>): string | undefined {
        for (const { subnets, nat } of services.values()) {
            for (const s of [...subnets, ...nat]) {
                if (s.region) {
                    return s.region;
                }
            }
        }
        return undefined;
    }

    /** `r: the training job at P`, or a handful of them "and N more". */
    private what(ws: Attached[]): string {
        return `${this.r.name}: ${list(ws.map(w => w.what))}`;
    }

    private cannotVerify(what: string, w: Attached, services: string[], subnets: Subnet[] = []): void {
        const entry = this.unverifiable.get(what) ?? { workloads: new Set(), services: new Set(), subnets: new Set() };
        this.unverifiable.set(what, entry);
        entry.workloads.add(w);
        services.forEach(s => entry.services.add(s));
        subnets.forEach(s => entry.subnets.add(s));
    }

    note(message: string): void {
        // The frame reports a resource's preview notes as one; a few distinct ones are enough to count.
        if (this.notes.length < 10 && !this.notes.includes(message)) {
            this.notes.push(message);
        }
    }
}

/**
 * Every VPC-attached model or job of the stack, every notebook instance without direct internet
 * access and every VpcOnly Studio domain, and the services their subnets reach no endpoint for.
 */
function check({ args, config }: StackContext): Verdict {
    const required = strings(config["requiredServices"], ["s3"]);
    const withoutIsolation = strings(config["requiredServicesWithoutIsolation"], []).filter(s => !required.includes(s));
    const subjects: { r: PolicyResource; attached: Attached[]; notes: string[] }[] = [];
    for (const r of args.resources) {
        const attached: Attached[] = [];
        const notes: string[] = [];
        if (WORKLOAD_TYPES.has(r.type)) {
            for (const w of extract(r.type, r.props).workloads) {
                if (!w.vpc) {
                    continue;
                }
                // Isolated: the container makes no call; not isolated (or set at run time): it may call any service.
                const extra = w.isolation === "on" ? [] : withoutIsolation;
                const unread = unreadable(w.isolation) !== undefined;
                attached.push({
                    what: `the ${KIND_NOUNS[w.kind]} at ${w.vpc.path}`, vpc: w.vpc, services: unread ? required : [...required, ...extra],
                    unlessIsolated: unread ? { services: extra, path: w.isolationPath, sealed: w.isolation === SEALED } : undefined,
                });
            }
        }
        const kind = PRIVATE_KINDS.get(r.type);
        const a = kind ? privateResource(r, kind, config) : undefined;
        if (typeof a === "string") {
            notes.push(a);
        } else if (a) {
            attached.push(a);
        }
        if (attached.length > 0 || notes.length > 0) {
            subjects.push({ r, attached, notes });
        }
    }
    if (subjects.length === 0) {
        return notApplicable("No SageMaker model, job, notebook instance without direct internet access or VpcOnly Studio domain of this stack is attached to a VPC");
    }
    const net = new Network(args.resources);
    const natCounts = config["natCounts"] === true;
    // AWS's records hold no network: a VPC they do not hold cannot be judged rather than declared.
    const records = isRecordsStack(args.resources.map(r => ({ type: r.type, props: plain(r) })));
    const out: Finding[] = [];
    for (const { r, attached, notes } of subjects) {
        const report = new ResourceReport(r, natCounts);
        attached.forEach(a => report.add(net, a));
        notes.forEach(n => report.note(n));
        out.push(...report.findings(config["unresolvedVpc"] !== "ignore" && !records));
    }
    out.push(...dualStackEgress(args.resources)); // IPv6 egress of dual-stack VpcOnly domains (../network/ipv6)
    return out.length === 0 && records
        ? notApplicable("AWS records: they do not hold the VPCs of their SageMaker resources, so those VPCs' endpoints cannot be judged")
        : out;
}

export default rule({
    name: "sagemaker-vpc-endpoints",
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
        "sagemaker.api, sagemaker.runtime, sts, logs). To accept a NAT gateway instead, set natCounts: true.",
    settings: {
        requiredServices: {
            type: "array",
            items: SERVICE,
            uniqueItems: true,
            default: ["s3"],
            description: "Services (the part after com.amazonaws.<region>.) every VPC-attached model or job needs an endpoint for.",
        },
        requiredServicesWithoutIsolation: {
            type: "array",
            items: SERVICE,
            uniqueItems: true,
            default: [],
            description: "More services needed by models and jobs whose network isolation is not on: their containers " +
                "call AWS services through the VPC (an isolated container makes no network call).",
        },
        requiredServicesForNotebooks: {
            type: "array",
            items: SERVICE,
            uniqueItems: true,
            default: STUDIO_AND_NOTEBOOK_SERVICES,
            description: "Services a notebook instance without direct internet access (directInternetAccess \"Disabled\") " +
                "needs an endpoint for in its subnet: AWS names the SageMaker API and runtime, and S3 for data. " +
                "\"notebook\" stands for aws.sagemaker.<region>.notebook.",
        },
        requiredServicesForStudio: {
            type: "array",
            items: SERVICE,
            uniqueItems: true,
            default: STUDIO_AND_NOTEBOOK_SERVICES,
            description: "Services a VpcOnly Studio domain needs an endpoint for in its subnets: AWS names the SageMaker " +
                "API and runtime and S3, and for some features servicecatalog (Projects), sts and logs (remote training " +
                "from the SageMaker Python SDK). \"studio\" stands for aws.sagemaker.<region>.studio.",
        },
        natCounts: {
            type: "boolean",
            default: false,
            description: "Accept a NAT gateway instead of an endpoint: a subnet whose route table sends traffic for " +
                "anywhere (0.0.0.0/0) to a NAT gateway reaches the services' public endpoints that way.",
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
