/**
 * Default routes (0.0.0.0/0, anywhere: AWS services' public endpoints included) and where they
 * go: a NAT gateway with a way out (the traffic leaves the VPC to the services' public
 * endpoints), or a hub, a transit gateway or Cloud WAN core network (the endpoints may be
 * centralised there). Read from `aws.ec2.Route` and aws-native `Route` resources and route
 * tables' inline `routes`.
 *
 * A route whose route table is not known yet (preview) or sealed (a secret) is pending only for
 * the route tables it can belong to: those its dependency record names, else those of the VPC
 * its NAT gateway is in, else any.
 */
import { PolicyResource } from "@pulumi/policy";
import { isObj, isSentinel, unreadableRaw } from "../values/values";
import { dependencies, known, ownId, props, unset } from "./links";

const NAT_GATEWAYS = new Set(["aws:ec2/natGateway:NatGateway", "aws-native:ec2:NatGateway"]);
export const ROUTES = new Set(["aws:ec2/route:Route", "aws-native:ec2:Route"]);
/** Route tables with inline routes (`routes[]`: `cidrBlock`, `natGatewayId`, `transitGatewayId`, `coreNetworkArn`). */
export const INLINE_ROUTES = new Set(["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable"]);
const TRANSIT_GATEWAYS = new Set(["aws:ec2transitgateway/transitGateway:TransitGateway", "aws-native:ec2:TransitGateway"]);
const CORE_NETWORKS = new Set(["aws:networkmanager/coreNetwork:CoreNetwork", "aws-native:networkmanager:CoreNetwork"]);
const ANYWHERE = "0.0.0.0/0";

/** A value that cannot be read, and that the program set (so it is not the provider's default). */
const UNREADABLE = Symbol("unreadable");
type Connectivity = "public" | "private" | "unknown";

/** A NAT gateway's `connectivityType`: "public" (the default) reaches the internet, "private" does not. */
function connectivity(g: PolicyResource): Connectivity {
    const v = props(g)["connectivityType"];
    if (unreadableRaw(v)) {
        return unset(g, "connectivityType") ? "public" : "unknown";
    }
    return v === "private" ? "private" : "public";
}

/**
 * A hub a default route goes to: `name` says it in messages (a logical name, never an id value);
 * `id` is its id or ARN for `centralizedEndpoints` (undefined while not known).
 */
export interface Hub {
    name: string;
    id?: string;
}

/** Where one route table's default route goes, as far as known. */
interface Way {
    nat?: "nat" | "pending";
    hub?: Hub | "pending";
}

/** Where a route table's default route goes: to a NAT gateway, a hub, nowhere (`none`), or `pending`. */
export type DefaultRoute = { kind: "nat" | "none" | "pending" } | { kind: "hub"; hub: Hub } | { kind: "hub-pending" };

/** What the graph tells the routes: route table keys of a property, and VPCs of NAT gateways. */
export interface RouteTableResolver {
    /** The key of the route table property `prop` of `r` names; undefined while not known. */
    link(r: PolicyResource, prop: string): string | undefined;
    /** A route table resource's key. */
    key(r: PolicyResource): string;
    /** Keys of the route tables the dependency record of `prop` of `r` names. */
    candidates(r: PolicyResource, prop: string): string[];
    /** The VPC key of a NAT gateway (its subnet's VPC); undefined while not known. */
    vpcOfNat(g: PolicyResource): string | undefined;
}

/** A route whose route table is not known: the route tables it can be on (`tables`), the VPC (`vpc`), or any. */
interface Scope {
    what: "nat" | "hub";
    tables?: Set<string>;
    vpc?: string;
}

export class DefaultRoutes {
    private readonly byTable = new Map<string, Way>();
    private readonly scopes: Scope[] = [];
    private readonly natById = new Map<string, PolicyResource>();
    private readonly hubsById = new Map<string, PolicyResource>();

    constructor(private readonly rt: RouteTableResolver, byType: (types: Iterable<string>) => PolicyResource[]) {
        for (const r of byType(NAT_GATEWAYS)) {
            const id = ownId(r, "natGatewayId");
            if (id) {
                this.natById.set(id, r);
            }
        }
        for (const r of byType([...TRANSIT_GATEWAYS, ...CORE_NETWORKS])) {
            for (const id of [ownId(r, "transitGatewayId"), ownId(r, "coreNetworkId"), props(r)["arn"], props(r)["coreNetworkArn"]]) {
                if (known(id)) {
                    this.hubsById.set(id, r);
                }
            }
        }
        for (const r of byType(ROUTES)) {
            const p = props(r);
            this.route(r, p, "routeTableId", "destinationCidrBlock", "", this.rt.link(r, "routeTableId"));
        }
        for (const r of byType(INLINE_ROUTES)) {
            const inline = props(r)["routes"];
            const key = this.rt.key(r);
            if (isSentinel(inline)) {
                // Routes the program set from a value not known yet (left unset, the table has none of its own).
                if (!unset(r, "routes")) {
                    this.mark(key, { nat: "pending" });
                }
            } else if (Array.isArray(inline)) {
                for (const route of inline) {
                    if (isObj(route)) {
                        this.route(r, route, "routes", "routes", "routes", key);
                    }
                }
            }
        }
    }

    /** Where the default route of route table `table` (of VPC `vpc`) goes. */
    of(table: string | undefined, vpc: string | undefined, hubsMatter: boolean): DefaultRoute {
        const way = table === undefined ? undefined : this.byTable.get(table);
        const scoped = (what: "nat" | "hub") => this.scopes.some(s => s.what === what &&
            (s.tables ? table !== undefined && s.tables.has(table) : s.vpc ? s.vpc === vpc : true));
        if (typeof way?.hub === "object") {
            return { kind: "hub", hub: way.hub };
        }
        if (way?.nat === "nat") {
            return { kind: "nat" };
        }
        if (hubsMatter && (way?.hub === "pending" || scoped("hub"))) {
            return { kind: "hub-pending" };
        }
        return way?.nat === "pending" || scoped("nat") ? { kind: "pending" } : { kind: "none" };
    }

    private mark(table: string, way: Way): void {
        const w = this.byTable.get(table) ?? {};
        this.byTable.set(table, w);
        if (way.nat && w.nat !== "nat") {
            w.nat = way.nat;
        }
        if (way.hub && typeof w.hub !== "object") {
            w.hub = way.hub;
        }
    }

    /**
     * One route (`p`: an aws.ec2.Route's properties, or one inline route of table `r`). `tableProp`,
     * `destProp` and `targetPrefix` name the properties of `r` its values belong to ("" for a route's
     * own `natGatewayId`; "routes" for inline routes, whose record is the whole list's).
     */
    private route(r: PolicyResource, p: Record<string, unknown>, tableProp: string, destProp: string, inline: string, table: string | undefined): void {
        const prop = (k: string) => inline || k;
        const readable = (v: unknown, at: string) => !unreadableRaw(v) ? v : unset(r, at) ? undefined : UNREADABLE;
        const dest = readable(p[inline ? "cidrBlock" : "destinationCidrBlock"], destProp);
        if (dest !== ANYWHERE && dest !== UNREADABLE) {
            return;
        }
        const nat = this.natTarget(r, readable(p["natGatewayId"], prop("natGatewayId")), prop("natGatewayId"));
        const hub = this.hubTarget(r, p, readable, prop);
        const way: Way = {
            nat: nat === undefined ? undefined : dest === ANYWHERE && nat.way === "nat" ? "nat" : "pending",
            hub: hub === undefined ? undefined : dest === ANYWHERE ? hub : "pending",
        };
        if (!way.nat && !way.hub) {
            return;
        }
        if (table !== undefined) {
            this.mark(table, way);
            return;
        }
        // Its route table is not known: pending for those it can be on.
        const tables = new Set(this.rt.candidates(r, tableProp));
        const vpc = nat?.vpc;
        for (const what of ["nat", "hub"] as const) {
            if (way[what]) {
                this.scopes.push(tables.size > 0 ? { what, tables } : vpc ? { what, vpc } : { what });
            }
        }
    }

    /** A route's NAT gateway: whether it has a way out (`nat`, or `pending` while not known), and its VPC. */
    private natTarget(r: PolicyResource, to: unknown, prop: string): { way: "nat" | "pending"; vpc?: string } | undefined {
        if (to === undefined || to === null || to === "") {
            return undefined;
        }
        let gateways: PolicyResource[];
        if (to === UNREADABLE) {
            gateways = dependencies(r, prop).filter(d => NAT_GATEWAYS.has(d.type));
            if (gateways.length === 0) {
                return { way: "pending" };
            }
        } else if (typeof to === "string") {
            const g = this.natById.get(to);
            if (!g) {
                // A NAT gateway declared elsewhere: its connectivity is not known, taken as public.
                return { way: "nat" };
            }
            gateways = [g];
        } else {
            return undefined;
        }
        const ways = new Set(gateways.map(connectivity));
        if (ways.size === 1 && ways.has("private")) {
            return undefined;
        }
        const vpcs = new Set(gateways.map(g => this.rt.vpcOfNat(g)));
        return { way: ways.size === 1 && ways.has("public") ? "nat" : "pending", vpc: vpcs.size === 1 ? [...vpcs][0] : undefined };
    }

    /** A route's transit gateway or Cloud WAN core network: named by its logical name (the route's, for one declared elsewhere). */
    private hubTarget(r: PolicyResource, p: Record<string, unknown>, readable: (v: unknown, at: string) => unknown,
        prop: (k: string) => string): Hub | "pending" | undefined {
        for (const [k, noun] of [["transitGatewayId", "transit gateway"], ["coreNetworkArn", "Cloud WAN core network"]] as const) {
            const to = readable(p[k], prop(k));
            if (to === undefined || to === null || to === "") {
                continue;
            }
            if (typeof to === "string") {
                const h = this.hubsById.get(to);
                return { name: h ? `${noun} ${h.name}` : `the ${noun} of ${r.name}'s default route`, id: to };
            }
            const found = to === UNREADABLE ? [...new Set(dependencies(r, prop(k)).filter(d => TRANSIT_GATEWAYS.has(d.type) || CORE_NETWORKS.has(d.type)))] : [];
            if (found.length === 1) {
                const id = ownId(found[0], k === "transitGatewayId" ? "transitGatewayId" : "coreNetworkId");
                return { name: `${noun} ${found[0].name}`, id };
            }
            return "pending";
        }
        return undefined;
    }
}
