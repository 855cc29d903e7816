/**
 * The VPC endpoints policy's findings for one resource, worded: what is missing in each VPC and
 * what the workload has instead (no way at all: its calls fail; a NAT gateway: the traffic
 * leaves the VPC; a transit gateway: the endpoints may be in a hub, to be declared), why existing
 * endpoints do not serve it (route table, private DNS, no subnet, another Region), what cannot be
 * verified, and preview notes. Messages name resources and Regions, never a property's value.
 */
import { PolicyResource } from "@pulumi/policy";
import { inWords } from "../values/values";
import { noteMessage } from "../values/wire";
import { Subnet, Vpc } from "./graph";
import { regionOf, serviceName } from "./names";
import { mergeWhy, Network, Placement, RegionHint, Why } from "./reachability";
import { Attached } from "./subjects";

/** A finding as the frame takes it (the frame's Finding, which this layer does not import). */
export interface Found {
    urn: string;
    message: string;
    note?: boolean;
}

/** How many workloads a message lists before "and N more" (subnets: 5, reasons: 2). */
const HANDFUL = 3;

function list(items: string[], max = HANDFUL): string {
    const shown = items.slice(0, max);
    const more = items.length - shown.length;
    if (more > 0) {
        return `${shown.join(", ")} and ${more} more`;
    }
    return inWords(shown);
}

const plural = (n: number, one: string, many: string) => n > 1 ? many : one;

function vpcName(vpc: Vpc): string {
    return vpc.resource ? `VPC ${vpc.resource.name}` : "its VPC";
}

/** The subnets of one VPC no endpoint serves for a service, by what they have instead. */
interface Missing {
    subnets: Set<Subnet>;
    nat: Set<Subnet>;
    unsure: Set<Subnet>;
    hubs: Map<string, Set<Subnet>>;
    why: Why[];
}

function reasonText(y: Why, n: number, region: string | undefined): string {
    const their = plural(n, "its", "their");
    switch (y.reason) {
        case "route": return `Gateway endpoint ${y.endpoint} is not on ${their} route table${plural(n, "", "s")}`;
        case "dns": return `Interface endpoint ${y.endpoint} has private DNS off (privateDnsEnabled), so the service's usual hostnames do not resolve to it`;
        case "inbound": return `Interface endpoint ${y.endpoint} leaves traffic from the VPC to a Gateway endpoint (dnsOptions.privateDnsOnlyForInboundResolverEndpoint)`;
        case "subnet": return `Interface endpoint ${y.endpoint} serves no subnet (it has no subnetIds; an Interface endpoint meant as a Gateway one? see vpcEndpointType)`;
        case "region": return `endpoint ${y.endpoint} is for Region ${y.region ?? "<region>"}, not ${their} Region ${region ?? "<region>"}`;
    }
}

function fixText(y: Why): string {
    switch (y.reason) {
        case "dns": return "set privateDnsEnabled: true on the Interface endpoint";
        case "subnet": return "give the Interface endpoint subnets (subnetIds) or make it a Gateway endpoint (vpcEndpointType \"Gateway\")";
        case "region": return "create the endpoint for the subnets' own Region (an endpoint serves only its Region)";
        default: return "put a Gateway endpoint on the subnets' route tables (routeTableIds or aws.ec2.VpcEndpointRouteTableAssociation)";
    }
}

/** The workloads that miss services in one VPC, per service which subnets and why, and their Region hint. */
interface MissingInVpc { vpc: Vpc; workloads: Set<Attached>; services: Map<string, Missing>; hint?: RegionHint }
/** Workloads whose endpoints cannot be verified for one reason, with their services and subnets. */
interface Unverifiable { workloads: Set<Attached>; services: Set<string>; subnets: Set<Subnet> }

/** What one resource's workloads amount to, gathered so each resource gets one finding per VPC and per kind of problem. */
export class ResourceReport {
    /** By VPC key: the workloads that miss services there, and per service which subnets, and why (made at the first). */
    private missing?: Map<string, MissingInVpc>;
    private unverifiable?: Map<string, Unverifiable>;
    private notes?: string[];

    constructor(private readonly r: PolicyResource) { }

    add(net: Network, w: Attached): void {
        const p: Placement = net.placement(this.r, w.vpc);
        const all = w.unlessIsolated ? w.services.concat(w.unlessIsolated.services) : w.services;
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
            const reach = net.reach(p, service, w.region);
            if (w.unlessIsolated && !w.services.includes(service) && (reach.missing.size > 0 || reach.elsewhere.size > 0)) {
                // Needed only if the workload is not isolated, and that cannot be read.
                this.note(w.unlessIsolated.sealed
                    ? noteMessage(false, `${this.what([w])} needs a VPC endpoint for ${service} unless it is isolated, and ${w.unlessIsolated.path} is a secret that could not be decrypted.`)
                    : noteMessage(true, `${this.what([w])} needs a VPC endpoint for ${service} unless it is isolated; this is checked when enableNetworkIsolation is known.`));
                continue;
            }
            for (const m of reach.missing.values()) {
                const missing = this.missing ??= new Map<string, MissingInVpc>();
                const group = missing.get(m.vpc.key) ?? { vpc: m.vpc, workloads: new Set<Attached>(), services: new Map<string, Missing>() };
                missing.set(m.vpc.key, group);
                group.workloads.add(w);
                group.hint ??= w.region;
                const entry: Missing = group.services.get(service) ?? { subnets: new Set(), nat: new Set(), unsure: new Set(), hubs: new Map(), why: [] };
                group.services.set(service, entry);
                m.subnets.forEach(s => entry.subnets.add(s));
                m.nat.forEach(s => entry.nat.add(s));
                m.unsure.forEach(s => entry.unsure.add(s));
                for (const [hub, subnets] of m.hubs) {
                    const set = entry.hubs.get(hub) ?? new Set<Subnet>();
                    entry.hubs.set(hub, set);
                    subnets.forEach(s => set.add(s));
                }
                mergeWhy(entry.why, m.why);
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

    /** The findings; `reportUnverifiable`: what depends on networks declared elsewhere is reported too. */
    findings(reportUnverifiable: boolean): Found[] {
        const out: Found[] = [];
        for (const { vpc, workloads, services, hint } of this.missing?.values() ?? []) {
            const ws = [...workloads];
            const region = vpc.region ?? this.regionOfSubnets(services) ?? hint?.() ?? vpc.named ?? regionOf(this.r);
            out.push({ urn: this.r.urn, message: `${this.what(ws)} ${ws.length > 1 ? "are" : "is"} in ${vpcName(vpc)}, ${this.problems(services, region)}` });
        }
        if (reportUnverifiable) {
            for (const [what, { workloads, services, subnets }] of this.unverifiable ?? []) {
                const ws = [...workloads];
                const one = ws.length === 1;
                const where = what === "run time" ? `${one ? "gets its" : "get their"} subnets at run time`
                    : what === "undeclared" ? `${one ? "uses" : "use"} subnets that are not declared in this stack`
                    : `${one ? "is" : "are"} in subnets ${list([...subnets].map(s => s.label))} whose ${what} is not declared in this stack`;
                out.push({
                    urn: this.r.urn,
                    message: `${this.what(ws)} ${where}, so ${one ? "its" : "their"} VPC endpoints (${[...services].join(", ")}) cannot be verified. ` +
                        (what === "run time" ? "Use fixed subnets, or set unresolvedVpc to \"ignore\"."
                            : what === "route table" ? "Declare the route table here, list the subnets in externalSubnets if their endpoints are vouched for, or set unresolvedVpc to \"ignore\" for networks managed elsewhere."
                            : "Declare the VPC here, list the subnets in externalSubnets if their VPC's endpoints are vouched for, or set unresolvedVpc to \"ignore\" for VPCs managed elsewhere."),
                });
            }
        }
        for (const message of this.notes ?? []) {
            out.push({ urn: this.r.urn, note: true, message });
        }
        return out;
    }

    /**
     * What is missing in one VPC, service by service: no endpoint at all, or endpoints that do not
     * serve some subnets (and why); then what the subnets have instead: nothing (calls fail), a
     * NAT gateway (traffic leaves the VPC), a transit gateway (declare its hub).
     */
    private problems(services: Map<string, Missing>, region: string | undefined): string {
        const direct = (e: Missing) => e.subnets.size + e.nat.size + e.unsure.size > 0;
        const none = [...services].filter(([, e]) => e.why.length === 0 && direct(e)).map(([s]) => serviceName(s, region));
        const parts: string[] = none.length > 0 ? [`which has no VPC endpoint for ${none.join(", ")}`] : [];
        const fixes = new Set<string>(none.length > 0 ? ["add the missing endpoints (aws.ec2.VpcEndpoint)"] : []);
        for (const [service, { subnets, nat, unsure, why }] of services) {
            if (why.length === 0) {
                continue;
            }
            const name = serviceName(service, region);
            for (const [group, state] of [[subnets, `no route to ${name}`], [nat, `no endpoint for ${name} that serves ${plural(nat.size, "it", "them")}`],
                [unsure, `no endpoint for ${name} that serves ${plural(unsure.size, "it", "them")}`]] as const) {
                if (group.size === 0) {
                    continue;
                }
                const ids = [...group].map(s => s.label);
                parts.push(`${parts.length === 0 ? "where " : ""}${plural(ids.length, "subnet", "subnets")} ${list(ids, 5)} ${plural(ids.length, "has", "have")} ${state}: ${list(why.map(y => reasonText(y, ids.length, region)), 2)}`);
            }
            why.forEach(y => fixes.add(fixText(y)));
        }
        const viaNat = new Set<Subnet>();
        const natServices: string[] = [];
        const blocked: string[] = [];
        const viaHub = new Map<string, { subnets: Set<Subnet>; services: string[] }>();
        for (const [service, { subnets, nat, hubs, why }] of services) {
            nat.forEach(s => viaNat.add(s));
            if (nat.size > 0) {
                natServices.push(service);
            }
            if (subnets.size > 0) {
                blocked.push(service);
            }
            for (const [hub, hs] of hubs) {
                const h = viaHub.get(hub) ?? { subnets: new Set<Subnet>(), services: [] };
                viaHub.set(hub, h);
                hs.forEach(s => h.subnets.add(s));
                h.services.push(service);
                why.filter(y => y.reason !== "route").forEach(y => fixes.add(fixText(y)));
            }
        }
        if (viaNat.size > 0) {
            const ids = [...viaNat].map(s => s.label);
            parts.push(`${parts.length === 0 ? "where " : ""}traffic from ${plural(ids.length, "subnet", "subnets")} ${list(ids, 5)} to ${natServices.join(", ")} ` +
                `goes out through a NAT gateway to the public service endpoint${plural(natServices.length, "", "s")}: it works, but under no endpoint policy`);
        }
        for (const [hub, { subnets, services: hs }] of viaHub) {
            const ids = [...subnets].map(s => s.label);
            parts.push(`${parts.length === 0 ? "where " : ""}traffic from ${plural(ids.length, "subnet", "subnets")} ${list(ids, 5)} to ${hs.join(", ")} goes to ${hub} ` +
                `(the default route), whose hub may hold the endpoints but is not declared to`);
        }
        const todo = [...fixes].join(", and ");
        const so = [
            ...blocked.length > 0 ? [`so SageMaker can reach ${blocked.join(", ")} from the VPC`] : [],
            ...natServices.length > 0 ? [`so that traffic to ${natServices.join(", ")} stays on the AWS network under an endpoint policy instead (or set natCounts: true to accept the NAT gateway)`] : [],
        ];
        const sentences = [parts.join("; ") + "."];
        if (todo) {
            sentences.push(`${todo.charAt(0).toUpperCase()}${todo.slice(1)}${so.length > 0 ? `, ${so.join(", and ")}` : ""}.`);
        }
        if (viaHub.size > 0) {
            sentences.push("If the transit gateway's hub serves these endpoints (with private hosted zones associated with this VPC), list its id in centralizedEndpoints; else add the endpoints to this VPC.");
        }
        const unsure = [...services].filter(([, e]) => e.unsure.size > 0).map(([service]) => service);
        if (unsure.length > 0) {
            sentences.push(`Whether traffic to ${unsure.join(", ")} leaves through a NAT gateway instead is known at the update (only natCounts would accept that).`);
        }
        if (blocked.length > 0) {
            sentences.push(`Until then, calls to ${blocked.join(", ")} from ${plural(blocked.length, "it", "them")} fail: no endpoint and no route out.`);
        }
        return sentences.join(" ");
    }

    private regionOfSubnets(services: Map<string, Missing>): string | undefined {
        for (const { subnets, nat, unsure, hubs } of services.values()) {
            for (const s of [...subnets, ...nat, ...unsure, ...[...hubs.values()].flatMap(h => [...h])]) {
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
        const unverifiable = this.unverifiable ??= new Map<string, Unverifiable>();
        const entry = unverifiable.get(what) ?? { workloads: new Set(), services: new Set(), subnets: new Set() };
        unverifiable.set(what, entry);
        entry.workloads.add(w);
        services.forEach(s => entry.services.add(s));
        subnets.forEach(s => entry.subnets.add(s));
    }

    note(message: string): void {
        // The frame reports a resource's preview notes as one; a few distinct ones are enough to count.
        const notes = this.notes ??= [];
        if (notes.length < 10 && !notes.includes(message)) {
            notes.push(message);
        }
    }
}
