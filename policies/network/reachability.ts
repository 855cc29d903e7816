/**
 * Reachability over the stack's network graph (./graph): where a workload's subnets are, and
 * `access(subnet, service)`: whether a subnet reaches a service through a VPC endpoint that
 * carries its traffic (of its own Region), a private hosted zone for the endpoint's name
 * associated with its VPC, or a hub declared to serve endpoints (`centralizedEndpoints`); else
 * only through a NAT gateway (the traffic leaves the VPC), a transit gateway not so declared, or
 * not at all.
 *
 * A link that stays unknown during preview gives `pending`, never a missing endpoint. Things
 * the stack does not declare (a VPC of another stack, a route table made elsewhere) give
 * `elsewhere`: nothing can be said of them, unless the subnet is one of `externalSubnets`.
 */
import { PolicyResource } from "@pulumi/policy";
import { DYNAMIC, SEALED, UNKNOWN } from "../values/values";
import { VpcAttachment } from "../workloads";
import { Graph, Subnet, Vpc } from "./graph";
import { Members, members } from "./links";
import { GATEWAY_SERVICES, zoneServes } from "./names";
import { Hub } from "./routes";
import { StackIndex } from "./stack";

/** A workload's Region, found on first use (a search of its values: ./subjects) and then remembered. */
export type RegionHint = () => string | undefined;

/** Why a subnet does not reach a service through an endpoint that exists. */
export interface Why {
    /** The endpoint's logical name. */
    endpoint: string;
    /**
     * `route`: a Gateway endpoint not on the subnet's route table; `dns`: an Interface endpoint
     * with private DNS off; `inbound`: an Interface endpoint whose private DNS sends traffic from
     * the VPC to a Gateway endpoint (`privateDnsOnlyForInboundResolverEndpoint`); `subnet`: an
     * Interface endpoint in no subnet; `region`: an endpoint of another Region (`region`).
     */
    reason: "route" | "dns" | "inbound" | "subnet" | "region";
    region?: string;
}

/** Adds to `into` the reasons of `from` it does not have yet. */
export function mergeWhy(into: Why[], from: Why[]): void {
    for (const y of from) {
        if (!into.some(x => x.endpoint === y.endpoint && x.reason === y.reason)) {
            into.push(y);
        }
    }
}

/**
 * Whether a subnet reaches a service: `ok`; `nat` when only through a NAT gateway (to the public
 * endpoint); `hub` when its default route goes to a transit gateway or core network not declared
 * in `centralizedEndpoints`; `missing` when it has none of these (`unsure`: a NAT route not known
 * yet may be there, which only natCounts would accept); `why`, for all three: the endpoints that
 * exist but do not serve it. `pending` until a value is known (`until` says which); `elsewhere`
 * when it depends on a VPC or route table the stack does not declare.
 */
export type Access =
    | { kind: "ok" }
    | { kind: "nat"; why: Why[] }
    | { kind: "missing"; why: Why[]; unsure: boolean }
    | { kind: "hub"; hub: Hub; why: Why[] }
    | { kind: "pending"; until: string }
    | { kind: "elsewhere"; what: "VPC" | "route table" };

/** The subnets of one VPC no endpoint serves for a service, by what they have instead. */
export interface Missing {
    vpc: Vpc;
    /** No way to it: calls fail. */
    subnets: Subnet[];
    /** Through a NAT gateway: the traffic leaves the VPC. */
    nat: Subnet[];
    /** No endpoint; whether a NAT route carries its traffic is not known yet. */
    unsure: Subnet[];
    /** By hub name: through a transit gateway or core network. */
    hubs: Map<string, Subnet[]>;
    why: Why[];
}

/** What `Network.reach` tells of a workload's subnets and one service. */
export interface Reach {
    /** By VPC key: the subnets no endpoint serves for the service, and why. */
    missing: Map<string, Missing>;
    /** Subnets whose VPC, or route table, is declared elsewhere. */
    elsewhere: Map<"VPC" | "route table", Subnet[]>;
    /** During preview: what must be known first, and the VPC it is in (undefined: its subnets' VPC is not known yet). */
    pending?: { vpc?: Vpc; until: string };
}

/** What `reach` answers when every subnet reaches the service (shared: the common case allocates nothing). */
const NOTHING: Reach = Object.freeze({ missing: new Map(), elsewhere: new Map() });

/** Where a workload's subnets are, as far as the stack tells. */
export interface Placement {
    /** Subnets it is in for certain. */
    subnets: Subnet[];
    /** During preview, subnets of which it uses some (its dependency record names more than it uses). */
    candidates: Subnet[];
    /** Subnet ids no subnet of the stack has, and that are not among `externalSubnets`. */
    undeclared: boolean;
    /** Subnets set at run time by a pipeline or state machine. */
    runTime: boolean;
    /** Subnets not known yet, with no dependency record to follow. */
    pending: boolean;
    /** Some subnets are a secret `pulumi policy analyze` could not decrypt. */
    sealed: boolean;
}

/** The settings reachability follows. */
export interface NetworkSettings {
    /** A NAT gateway is accepted instead of an endpoint. */
    natCounts: boolean;
    /** Transit gateway (or core network) ids whose hubs serve the endpoints; "*": any. */
    centralizedEndpoints: readonly string[];
    /** Subnet ids of VPCs managed elsewhere whose endpoints the platform team vouches for. */
    externalSubnets: readonly string[];
}

/** The resource property a property path starts in: `vpcConfig` of `vpcConfig.subnets`, `pipelineDefinition` of `pipelineDefinition.Steps[0]...`. */
function topProperty(path: string): string {
    for (let i = 0; i < path.length; i++) {
        const c = path.charCodeAt(i);
        if (c === 0x2e || c === 0x5b) { // "." or "["
            return path.slice(0, i);
        }
    }
    return path;
}

const unknownOrSealed = (v: unknown) => v === UNKNOWN || v === SEALED;

/** Whether a VPC attachment's subnets are `v` or hold it. */
function holds(subnets: VpcAttachment["subnets"], v: unknown): boolean {
    return subnets === v || (Array.isArray(subnets) && (subnets as unknown[]).includes(v));
}

/** What carries a workload's traffic over the stack's network graph, built once from the stack's resources. */
export class Network {
    /** What is connected (the dual-stack check reads its subnets and route tables too). */
    readonly graph: Graph;
    private readonly external: ReadonlySet<string>;
    /** Per subnet, `access` by service (and by the workload's Region, for a subnet whose Region the stack does not say). */
    private readonly accessBySubnet = new Map<Subnet, Map<string, Access>>();

    constructor(stack: StackIndex, private readonly settings: NetworkSettings) {
        this.graph = new Graph(stack);
        this.external = new Set(settings.externalSubnets);
    }

    /** The subnets a workload's `VpcConfig` names (ids, or during preview the property's dependency record). */
    placement(r: PolicyResource, vpc: VpcAttachment): Placement {
        const m: Members<Subnet> = members(r, topProperty(vpc.path), vpc.subnets, this.graph.subnetById, this.subnetOfDependency, unknownOrSealed);
        return {
            subnets: m.known, candidates: m.candidates, undeclared: m.outside.some(id => !this.external.has(id)),
            runTime: holds(vpc.subnets, DYNAMIC), pending: m.pending, sealed: holds(vpc.subnets, SEALED),
        };
    }

    private readonly subnetOfDependency = (d: PolicyResource) => this.graph.subnetByUrn.get(d.urn);

    /**
     * Whether `subnet` reaches `service` (memoized: linear over a stack's workloads); `hint`: the
     * workload's Region, read only when neither the subnet nor its VPC says.
     */
    access(subnet: Subnet, service: string, hint?: RegionHint): Access {
        let memo = this.accessBySubnet.get(subnet);
        if (!memo) {
            this.accessBySubnet.set(subnet, memo = new Map<string, Access>());
        }
        const own = subnet.region ?? subnet.vpc?.region;
        const region = own === undefined && subnet.vpc ? hint?.() : undefined;
        const key = region === undefined ? service : `${service} ${region}`;
        let a = memo.get(key);
        if (!a) {
            a = this.evaluate(subnet, service, region);
            memo.set(key, a);
        }
        return a;
    }

    /**
     * Which subnets of a placement miss `service`, by VPC; which depend on things declared
     * elsewhere; and, during preview, what must be known before it can be told.
     */
    reach(p: Placement, service: string, hint?: RegionHint): Reach {
        const natCounts = this.settings.natCounts;
        let out = NOTHING;
        const open = (): Reach => out === NOTHING ? (out = { missing: new Map(), elsewhere: new Map() }) : out;
        const kind = (s: Subnet) => {
            const k = this.access(s, service, hint).kind;
            return k === "nat" ? (natCounts ? "ok" : "missing") : k;
        };
        const add = (s: Subnet, a: Access) => {
            if (a.kind === "missing" || a.kind === "hub" || (a.kind === "nat" && !natCounts)) {
                const missing = open().missing;
                const entry: Missing = missing.get(s.vpc!.key) ?? { vpc: s.vpc!, subnets: [], nat: [], unsure: [], hubs: new Map(), why: [] };
                missing.set(s.vpc!.key, entry);
                if (a.kind === "hub") {
                    entry.hubs.set(a.hub.name, [...entry.hubs.get(a.hub.name) ?? [], s]);
                } else {
                    (a.kind === "nat" ? entry.nat : a.unsure ? entry.unsure : entry.subnets).push(s);
                }
                mergeWhy(entry.why, a.why);
            } else if (a.kind === "elsewhere") {
                const elsewhere = open().elsewhere;
                const list = elsewhere.get(a.what) ?? [];
                elsewhere.set(a.what, list);
                list.push(s);
            } else if (a.kind === "pending") {
                open().pending ??= { vpc: s.vpc, until: a.until };
            }
        };
        for (const s of p.subnets) {
            add(s, this.access(s, service, hint));
        }
        if (p.candidates.length > 0) {
            // It uses some of them: only what holds for all of them (in one VPC) holds for it. That no
            // endpoint serves them holds whether they reach the service through a NAT gateway or not.
            const kinds = new Set(p.candidates.map(kind));
            const vpcs = new Set(p.candidates.map(s => s.vpc?.key));
            if (kinds.size === 1 && vpcs.size === 1) {
                p.candidates.forEach(s => add(s, this.access(s, service, hint)));
            } else {
                open().pending ??= { vpc: p.candidates.find(s => s.vpc)?.vpc, until: "the subnets it uses" };
            }
        }
        return out;
    }

    private evaluate(s: Subnet, service: string, hint: string | undefined): Access {
        if (!s.vpc) {
            return { kind: "pending", until: "the VPCs of its subnets" };
        }
        const region = s.region ?? s.vpc.region ?? hint;
        const why: Why[] = [];
        let until: string | undefined;
        const routeTable = this.graph.routeTableOf(s);
        for (const e of this.graph.endpointsByVpc.get(s.vpc.key) ?? []) {
            if (e.service === undefined) {
                until = "the service names of the stack's VPC endpoints";
                continue;
            }
            if (e.service !== service) {
                continue;
            }
            if (e.region !== undefined && region !== undefined && e.region !== region) {
                why.push({ endpoint: e.resource.name, reason: "region", region: e.region });
            } else if (e.type === "unknown") {
                until = "the types of the stack's VPC endpoints";
            } else if (e.type === "Interface") {
                if (e.privateDns === "unknown" || (e.privateDns && e.inboundOnly === "unknown")) {
                    until = "the private DNS settings of the stack's Interface endpoints";
                } else if (e.noSubnet || !e.privateDns) {
                    // In no subnet, and (or) private DNS off: each said.
                    why.push(...e.noSubnet ? [{ endpoint: e.resource.name, reason: "subnet" as const }] : []);
                    why.push(...!e.privateDns ? [{ endpoint: e.resource.name, reason: "dns" as const }] : []);
                } else if (e.inboundOnly) {
                    why.push({ endpoint: e.resource.name, reason: "inbound" });
                } else {
                    return { kind: "ok" };
                }
            } else if (e.type === "Gateway") {
                if (routeTable === "pending") {
                    until = "the route tables of its subnets";
                } else if (routeTable !== undefined && e.routeTables.has(routeTable)) {
                    return { kind: "ok" };
                } else if (e.anyRouteTable || (routeTable !== undefined && e.maybeRouteTables.has(routeTable))) {
                    until = "the route tables of the stack's Gateway endpoints";
                } else {
                    why.push({ endpoint: e.resource.name, reason: "route" });
                }
            }
        }
        // AWS's centralised endpoints: a private hosted zone for the endpoint's name, associated with the VPC.
        if ((this.graph.zones.get(s.vpc.key) ?? []).some(z => zoneServes(z, service, region))) {
            return { kind: "ok" };
        }
        if (until === undefined && this.graph.endpointsNowhere.some(e => e.service === undefined || e.service === service)) {
            until = "the VPCs of the stack's VPC endpoints";
        }
        if (until !== undefined) {
            return { kind: "pending", until };
        }
        const centralized = this.settings.centralizedEndpoints;
        const route = routeTable === undefined || routeTable.startsWith("id:") ? undefined : this.graph.defaultRoute(s, centralized.length > 0);
        if (route?.kind === "hub") {
            const { hub } = route;
            if (centralized.includes("*") || (hub.id !== undefined && centralized.includes(hub.id))) {
                return { kind: "ok" };
            }
            return hub.id === undefined && centralized.length > 0
                ? { kind: "pending", until: "the ids of the transit gateways its subnets route to" }
                : { kind: "hub", hub, why };
        }
        if (route?.kind === "hub-pending" || (route?.kind === "pending" && centralized.length > 0)) {
            return { kind: "pending", until: "the transit gateway routes of its subnets' route tables" };
        }
        if (s.id !== undefined && this.external.has(s.id)) {
            return { kind: "ok" };
        }
        if (!s.vpc.resource) {
            return { kind: "elsewhere", what: "VPC" };
        }
        if (GATEWAY_SERVICES.has(service) && route === undefined) {
            return { kind: "elsewhere", what: "route table" };
        }
        const nat = route ?? this.graph.defaultRoute(s, false);
        if (nat.kind === "pending") {
            // Only natCounts makes a NAT route matter; without it there is no endpoint either way.
            return this.settings.natCounts ? { kind: "pending", until: "the NAT gateway routes of its subnets' route tables" } : { kind: "missing", why, unsure: true };
        }
        return nat.kind === "nat" ? { kind: "nat", why } : { kind: "missing", why, unsure: false };
    }
}
