/**
 * Reachability over the stack's network graph (./graph): where a workload's subnets are, and
 * `access(subnet, service)`: whether a subnet reaches a service through a VPC endpoint that
 * carries its traffic, or else only through a NAT gateway (a default route to one on its route
 * table: the traffic goes out to the service's public endpoint).
 *
 * A link that stays unknown during preview gives `pending`, never a missing endpoint. Things
 * the stack does not declare (a VPC of another stack, a route table made elsewhere) give
 * `elsewhere`: nothing can be said of them.
 */
import { PolicyResource } from "@pulumi/policy";
import { DYNAMIC, SEALED, UNKNOWN } from "../values/values";
import { VpcAttachment } from "../workloads";
import { GATEWAY_SERVICES, Graph, Subnet, Vpc } from "./graph";
import { Members, members } from "./links";

/** Why a subnet does not reach a service through an endpoint that exists. */
export interface Why {
    /** The endpoint's logical name. */
    endpoint: string;
    /**
     * `route`: a Gateway endpoint not on the subnet's route table; `dns`: an Interface endpoint
     * with private DNS off; `inbound`: an Interface endpoint whose private DNS sends traffic from
     * the VPC to a Gateway endpoint (`privateDnsOnlyForInboundResolverEndpoint`).
     */
    reason: "route" | "dns" | "inbound";
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
 * Whether a subnet reaches a service through a VPC endpoint: `ok`; `nat` when no endpoint serves
 * it but its route table sends traffic for anywhere to a NAT gateway, so it reaches the service's
 * public endpoint that way; `missing` when it has neither (`why`, for both: empty when the VPC has
 * no endpoint for the service at all); `pending` until a value is known (`until` says which);
 * `elsewhere` when it depends on a VPC or route table the stack does not declare.
 */
export type Access =
    | { kind: "ok" }
    | { kind: "nat" | "missing"; why: Why[] }
    | { kind: "pending"; until: string }
    | { kind: "elsewhere"; what: "VPC" | "route table" };

/** What `Network.reach` tells of a workload's subnets and one service. */
export interface Reach {
    /**
     * By VPC key: the subnets no endpoint serves for the service, and why: those with no way to it
     * (`subnets`), and those that reach it through a NAT gateway (`nat`, unless NAT counts).
     */
    missing: Map<string, { vpc: Vpc; subnets: Subnet[]; nat: Subnet[]; why: Why[] }>;
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
    /** Subnet ids no subnet of the stack has. */
    undeclared: boolean;
    /** Subnets set at run time by a pipeline or state machine. */
    runTime: boolean;
    /** Subnets not known yet, with no dependency record to follow. */
    pending: boolean;
    /** Some subnets are a secret `pulumi policy analyze` could not decrypt. */
    sealed: boolean;
}

/** What carries a workload's traffic over the stack's network graph, built once from the stack's resources. */
export class Network {
    private readonly graph: Graph;
    /** Per subnet, `access` by service. */
    private readonly accessBySubnet = new Map<Subnet, Map<string, Access>>();

    constructor(resources: readonly PolicyResource[]) {
        this.graph = new Graph(resources);
    }

    /** The subnets a workload's `VpcConfig` names (ids, or during preview the property's dependency record). */
    placement(r: PolicyResource, vpc: VpcAttachment): Placement {
        const top = vpc.path.split(/[.[]/)[0];
        const m: Members<Subnet> = members(r, top, vpc.subnets, this.graph.subnetById, d => this.graph.subnetByUrn.get(d.urn), v => v === UNKNOWN || v === SEALED);
        const has = (v: unknown) => vpc.subnets === v || (Array.isArray(vpc.subnets) && (vpc.subnets as unknown[]).includes(v));
        return { subnets: m.known, candidates: m.candidates, undeclared: m.outside.length > 0, runTime: has(DYNAMIC), pending: m.pending, sealed: has(SEALED) };
    }

    /** Whether `subnet` reaches `service` through a VPC endpoint (memoized: linear over a stack's workloads). */
    access(subnet: Subnet, service: string): Access {
        let memo = this.accessBySubnet.get(subnet);
        if (!memo) {
            this.accessBySubnet.set(subnet, memo = new Map<string, Access>());
        }
        let a = memo.get(service);
        if (!a) {
            a = this.evaluate(subnet, service);
            memo.set(service, a);
        }
        return a;
    }

    /**
     * Which subnets of a placement miss `service`, by VPC; which depend on things declared
     * elsewhere; and, during preview, what must be known before it can be told. `natCounts`: a
     * NAT gateway is accepted instead of an endpoint.
     */
    reach(p: Placement, service: string, natCounts = false): Reach {
        let out = NOTHING;
        const open = (): Reach => out === NOTHING ? (out = { missing: new Map(), elsewhere: new Map() }) : out;
        const kind = (s: Subnet) => {
            const k = this.access(s, service).kind;
            return k === "nat" ? (natCounts ? "ok" : "missing") : k;
        };
        const add = (s: Subnet, a: Access) => {
            if (a.kind === "missing" || (a.kind === "nat" && !natCounts)) {
                const missing = open().missing;
                const entry = missing.get(s.vpc!.key) ?? { vpc: s.vpc!, subnets: [], nat: [], why: [] };
                missing.set(s.vpc!.key, entry);
                (a.kind === "nat" ? entry.nat : entry.subnets).push(s);
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
            add(s, this.access(s, service));
        }
        if (p.candidates.length > 0) {
            // It uses some of them: only what holds for all of them (in one VPC) holds for it. That no
            // endpoint serves them holds whether they reach the service through a NAT gateway or not.
            const kinds = new Set(p.candidates.map(kind));
            const vpcs = new Set(p.candidates.map(s => s.vpc?.key));
            if (kinds.size === 1 && vpcs.size === 1) {
                p.candidates.forEach(s => add(s, this.access(s, service)));
            } else {
                open().pending ??= { vpc: p.candidates.find(s => s.vpc)?.vpc, until: "the subnets it uses" };
            }
        }
        return out;
    }

    private evaluate(s: Subnet, service: string): Access {
        if (!s.vpc) {
            return { kind: "pending", until: "the VPCs of its subnets" };
        }
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
            if (e.type === "unknown") {
                until = "the types of the stack's VPC endpoints";
            } else if (e.type === "Interface") {
                if (e.privateDns === "unknown" || (e.privateDns && e.inboundOnly === "unknown")) {
                    until = "the private DNS settings of the stack's Interface endpoints";
                } else if (!e.privateDns) {
                    why.push({ endpoint: e.resource.name, reason: "dns" });
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
        if (until === undefined && this.graph.endpointsNowhere.some(e => e.service === undefined || e.service === service)) {
            until = "the VPCs of the stack's VPC endpoints";
        }
        if (until !== undefined) {
            return { kind: "pending", until };
        }
        if (!s.vpc.resource) {
            return { kind: "elsewhere", what: "VPC" };
        }
        if (GATEWAY_SERVICES.has(service) && (routeTable === undefined || routeTable.startsWith("id:"))) {
            return { kind: "elsewhere", what: "route table" };
        }
        const nat = this.graph.natOf(s);
        if (nat === "pending") {
            return { kind: "pending", until: "the NAT gateway routes of its subnets' route tables" };
        }
        return { kind: nat === "nat" ? "nat" : "missing", why };
    }
}
