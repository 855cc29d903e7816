/**
 * The stack's network as a graph, indexed once per stack in linear time: VPCs, their subnets,
 * which route table each subnet uses (its explicit association, otherwise its VPC's main route
 * table), the VPC endpoints (./endpoints), private hosted zones associated with VPCs, and where
 * route tables' default routes go (./routes: NAT gateways, transit gateways). Which subnet
 * reaches which service over it is ./reachability's.
 *
 * Every link may be unknown during preview: it is followed through the dependency records
 * (see ./links).
 */
import { PolicyResource } from "@pulumi/policy";
import { isSentinel } from "../values/values";
import {
    applyEndpointSettings, Endpoint as EndpointOf, endpoint, ENDPOINT_ASSOCIATION, ENDPOINT_PRIVATE_DNS, EndpointGraph, ENDPOINTS,
    ZONE_ASSOCIATION, ZONES, zonesByVpc,
} from "./endpoints";
import { dependencies, known, link, Members, members, ownId, props, STACK_REFERENCE } from "./links";
import { providerRegion, regionOf } from "./names";
import { DefaultRoute, DefaultRoutes } from "./routes";
import { StackIndex } from "./stack";

const VPCS = new Set(["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws-native:ec2:Vpc"]);
const SUBNETS = new Set(["aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet", "aws-native:ec2:Subnet"]);
const ROUTE_TABLES = new Set(["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable", "aws-native:ec2:RouteTable"]);
const DEFAULT_ROUTE_TABLE = "aws:ec2/defaultRouteTable:DefaultRouteTable";
const SUBNET_ASSOCIATIONS = new Set(["aws:ec2/routeTableAssociation:RouteTableAssociation", "aws-native:ec2:SubnetRouteTableAssociation"]);
const MAIN_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation";

/** A VPC: declared in this stack (`resource`), or managed elsewhere (known by its id or its stack reference). */
export interface Vpc {
    key: string;
    resource?: PolicyResource;
    /** Its region, from itself, its provider or its subnets. */
    region?: string;
    /** For messages only, when `region` is not known: the region its endpoints name. */
    named?: string;
}

export interface Subnet {
    resource: PolicyResource;
    /** Its id, when known. */
    id?: string;
    /** How messages name it: its id, or its logical name while the id is not known. */
    label: string;
    /** Undefined: not known yet. */
    vpc?: Vpc;
    region?: string;
    /** Key of the route table of its explicit association; "pending" when that is not known yet. */
    association?: string;
}

export type Endpoint = EndpointOf<Vpc>;

/**
 * Which dependencies of a route table property are route tables: route table resources, or a
 * VPC (`vpc.mainRouteTableId`) when no route table resource is among them (then a VPC is only
 * where the value was computed from, e.g. a component's output).
 */
function routeTableDependency(r: PolicyResource, prop: string): (d: PolicyResource) => PolicyResource | undefined {
    const viaVpc = !dependencies(r, prop).some(d => ROUTE_TABLES.has(d.type));
    return d => ROUTE_TABLES.has(d.type) || (viaVpc && VPCS.has(d.type)) ? d : undefined;
}

/** What is connected to what, indexed once per stack in linear time. */
export class Graph implements EndpointGraph<Vpc> {
    private readonly vpcByUrn = new Map<string, Vpc>();
    private readonly vpcById = new Map<string, Vpc>();
    private readonly outside = new Map<string, Vpc>();
    readonly subnetByUrn = new Map<string, Subnet>();
    readonly subnetById = new Map<string, Subnet>();
    private readonly routeTableById = new Map<string, PolicyResource>();
    /** VPC key → key of the route table a MainRouteTableAssociation made main ("pending" while not known). */
    private readonly mainRouteTable = new Map<string, string>();
    /** The id of the route table AWS made with a VPC (`mainRouteTableId`, `defaultRouteTableId`) → the VPC. */
    private readonly mainIdOwner = new Map<string, Vpc>();
    /** DefaultRouteTable URN → its VPC. */
    private readonly defaultRouteTables = new Map<string, Vpc>();
    /** VPC key → the endpoints in that VPC. */
    readonly endpointsByVpc = new Map<string, Endpoint[]>();
    /** Endpoints whose VPC is not known yet: they may be in any VPC. */
    readonly endpointsNowhere: Endpoint[] = [];
    /** VPC key → names of the private hosted zones associated with it. */
    readonly zones: Map<string, string[]>;
    /** An association whose subnet is not known yet: any subnet's route table may be another. */
    private pendingAssociations = false;
    private readonly routes: DefaultRoutes;

    constructor(stack: StackIndex) {
        const byType = (types: Iterable<string>) => stack.of(types);
        for (const r of byType(VPCS)) {
            const vpc: Vpc = { key: r.urn, resource: r, region: regionOf(r) ?? providerRegion(r) };
            this.vpcByUrn.set(r.urn, vpc);
            const id = ownId(r, "vpcId");
            if (id) {
                this.vpcById.set(id, vpc);
            }
            for (const k of ["mainRouteTableId", "defaultRouteTableId"]) {
                const rt = props(r)[k];
                if (known(rt)) {
                    this.mainIdOwner.set(rt, vpc);
                }
            }
        }
        const routeTables = byType(ROUTE_TABLES);
        for (const r of routeTables) {
            const id = ownId(r, "routeTableId");
            if (id) {
                this.routeTableById.set(id, r);
            }
        }
        for (const r of byType(SUBNETS)) {
            const vpc = this.vpcLink(r, false);
            const id = ownId(r, "subnetId");
            const s: Subnet = { resource: r, id, label: id ?? r.name, vpc, region: regionOf(r) ?? vpc?.region ?? providerRegion(r) };
            this.subnetByUrn.set(r.urn, s);
            if (id) {
                this.subnetById.set(id, s);
            }
            if (vpc && !vpc.region) {
                vpc.region = s.region;
            }
        }
        this.indexMainRouteTables(routeTables, byType([MAIN_ASSOCIATION]));
        for (const r of byType(SUBNET_ASSOCIATIONS)) {
            const s = link(r, "subnetId", this.subnetById, d => this.subnetByUrn.get(d.urn));
            if (typeof s === "object") {
                s.association = this.routeTableLink(r, "routeTableId") ?? "pending";
            } else if (s === undefined && isSentinel(props(r)["subnetId"])) {
                this.pendingAssociations = true;
            }
        }
        const endpoints = byType(ENDPOINTS).map(r => endpoint(r, this));
        for (const e of endpoints) {
            const list = e.vpc ? this.endpointsByVpc.get(e.vpc.key) : this.endpointsNowhere;
            if (list) {
                list.push(e);
            } else {
                this.endpointsByVpc.set(e.vpc!.key, [e]);
            }
            if (e.vpc && !e.vpc.named) {
                e.vpc.named = e.region ?? regionOf(e.resource);
            }
        }
        applyEndpointSettings(endpoints, byType([ENDPOINT_ASSOCIATION]), byType([ENDPOINT_PRIVATE_DNS]), this);
        this.zones = zonesByVpc(byType(ZONES), byType([ZONE_ASSOCIATION]), this);
        this.routes = new DefaultRoutes({
            link: (r, prop) => this.routeTableLink(r, prop),
            key: r => this.routeTableKey(r),
            candidates: (r, prop) => dependencies(r, prop).map(routeTableDependency(r, prop)).filter((d): d is PolicyResource => d !== undefined).map(d => this.routeTableKey(d)),
            vpcOfNat: g => {
                const s = link(g, "subnetId", this.subnetById, d => this.subnetByUrn.get(d.urn));
                return typeof s === "object" ? s.vpc?.key : undefined;
            },
        }, byType);
    }

    /**
     * Where a subnet's default route goes (its association's route table, else its VPC's main
     * one); "pending" while that, or its route table, is not known yet. `hubsMatter`: a route to a
     * hub not known yet makes it pending (only when hubs are declared to serve endpoints).
     */
    defaultRoute(s: Subnet, hubsMatter: boolean): DefaultRoute {
        const rt = this.routeTableOf(s);
        return rt === "pending" ? { kind: "pending" } : this.routes.of(rt, s.vpc?.key, hubsMatter);
    }

    /**
     * Key of the route table a subnet uses: its association's, else its VPC's main route table;
     * "pending" while not known; undefined when its VPC is managed elsewhere (so is its main table).
     */
    routeTableOf(s: Subnet): string | undefined {
        if (s.association !== undefined) {
            return s.association;
        }
        if (this.pendingAssociations) {
            return "pending";
        }
        return s.vpc?.resource ? this.mainOf(s.vpc) : undefined;
    }

    /** A VPC's main route table: the one a MainRouteTableAssociation names, else the one AWS made with the VPC. */
    private mainOf(vpc: Vpc): string {
        return this.mainRouteTable.get(vpc.key) ?? `default:${vpc.key}`;
    }

    /**
     * A route table's key: a route table resource's URN; `default:` and the VPC's URN for the
     * route table AWS made with a VPC of the stack (its `mainRouteTableId`/`defaultRouteTableId`,
     * or a DefaultRouteTable); `id:` and the id of one the stack does not declare.
     */
    routeTableKey(ref: PolicyResource | string): string {
        if (typeof ref === "string") {
            const owner = this.mainIdOwner.get(ref);
            return owner ? `default:${owner.key}` : `id:${ref}`;
        }
        const vpc = VPCS.has(ref.type) ? this.vpcByUrn.get(ref.urn) : this.defaultRouteTables.get(ref.urn);
        return vpc ? `default:${vpc.key}` : ref.urn;
    }

    /** The key of the route table property `prop` of `r` names; undefined if not known yet. */
    routeTableLink(r: PolicyResource, prop: string): string | undefined {
        const rt = link(r, prop, this.routeTableById, routeTableDependency(r, prop));
        return rt === undefined ? undefined : this.routeTableKey(rt);
    }

    /** The route tables a list property names, by key. */
    routeTableMembers(r: PolicyResource, prop: string, values: unknown): Members<string> {
        const m = members(r, prop, values, this.routeTableById, routeTableDependency(r, prop));
        const key = (x: PolicyResource | string) => this.routeTableKey(x);
        return { ...m, known: m.known.map(key), outside: m.outside.map(key), candidates: m.candidates.map(key) };
    }

    /** DefaultRouteTables (the table AWS made with their VPC), and MainRouteTableAssociations (another table made main). */
    private indexMainRouteTables(routeTables: PolicyResource[], mainAssociations: PolicyResource[]): void {
        for (const r of routeTables) {
            if (r.type === DEFAULT_ROUTE_TABLE) {
                const vpc = this.vpcLink(r, false) ?? this.vpcOfMainId(r, "defaultRouteTableId");
                if (vpc?.resource) {
                    this.defaultRouteTables.set(r.urn, vpc);
                }
            }
        }
        for (const r of mainAssociations) {
            const vpc = this.vpcLink(r, false);
            const rt = this.routeTableLink(r, "routeTableId");
            if (vpc?.resource) {
                this.mainRouteTable.set(vpc.key, rt ?? "pending");
            }
        }
    }

    /**
     * The VPC `r.vpcId` names: by id; during preview through its dependency on a VPC, on a
     * subnet (`vpcId: subnet.vpcId`, with `viaSubnet`) or on a stack reference (a VPC of
     * another stack). Undefined while not known.
     */
    vpcLink(r: PolicyResource, viaSubnet: boolean): Vpc | undefined {
        const v = link(r, "vpcId", this.vpcById, d => VPCS.has(d.type) ? this.vpcByUrn.get(d.urn)
            : viaSubnet && SUBNETS.has(d.type) ? this.subnetByUrn.get(d.urn)?.vpc
            : d.type === STACK_REFERENCE ? this.outsideVpc(`ref:${d.urn}`) : undefined, true);
        return typeof v === "string" ? this.outsideVpc(`id:${v}`) : v;
    }

    /** The VPC whose main or default route table id property `prop` of `r` is. */
    private vpcOfMainId(r: PolicyResource, prop: string): Vpc | undefined {
        const v = link(r, prop, this.mainIdOwner, d => VPCS.has(d.type) ? this.vpcByUrn.get(d.urn) : undefined);
        return typeof v === "object" ? v : undefined;
    }

    private outsideVpc(key: string): Vpc {
        let vpc = this.outside.get(key);
        if (!vpc) {
            this.outside.set(key, vpc = { key });
        }
        return vpc;
    }
}
