/**
 * The stack's network as a graph, indexed once per stack in linear time: VPCs, their subnets,
 * which route table each subnet uses (its explicit association, otherwise its VPC's main route
 * table), and the VPC endpoints with what carries their traffic: a Gateway endpoint serves the
 * subnets whose route table it is on, an Interface endpoint serves its whole VPC when private
 * DNS is on; and which route tables send traffic for anywhere (0.0.0.0/0) to a NAT gateway, the
 * other way out. Which subnet reaches which service over it is ./reachability's.
 *
 * Every link may be unknown during preview: it is followed through the dependency records
 * (see ./links).
 */
import { PolicyResource } from "@pulumi/policy";
import { isObj, isSentinel, unreadableRaw } from "../values/values";
import { dependencies, known, link, members, ownId, props, unset } from "./links";

const VPCS = new Set(["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws-native:ec2:Vpc"]);
const SUBNETS = new Set(["aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet", "aws-native:ec2:Subnet"]);
const ROUTE_TABLES = new Set(["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable", "aws-native:ec2:RouteTable"]);
const DEFAULT_ROUTE_TABLE = "aws:ec2/defaultRouteTable:DefaultRouteTable";
const SUBNET_ASSOCIATIONS = new Set(["aws:ec2/routeTableAssociation:RouteTableAssociation", "aws-native:ec2:SubnetRouteTableAssociation"]);
const MAIN_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation";
const ENDPOINTS = new Set(["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"]);
const ENDPOINT_ASSOCIATION = "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation";
const ENDPOINT_PRIVATE_DNS = "aws:vpc/endpointPrivateDns:EndpointPrivateDns";
const STACK_REFERENCE = "pulumi:pulumi:StackReference";
const NAT_GATEWAYS = new Set(["aws:ec2/natGateway:NatGateway", "aws-native:ec2:NatGateway"]);
const ROUTES = new Set(["aws:ec2/route:Route", "aws-native:ec2:Route"]);
/** Route tables with inline routes (`routes[]`: `cidrBlock`, `natGatewayId`). */
const INLINE_ROUTES = new Set(["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable"]);
/** The IPv4 default route's destination: anywhere, AWS services' public endpoints included. */
const ANYWHERE = "0.0.0.0/0";

/** Services with Gateway endpoints: reached through route tables (and where private DNS may defer to them). */
export const GATEWAY_SERVICES = new Set(["s3", "dynamodb"]);

/** `[PREFIX.]com.amazonaws.REGION.SERVICE` → region, service. */
const SERVICE_NAME = /^(?:[a-z]+\.)?com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9.-]+)$/;
/**
 * SageMaker's endpoints for reaching a notebook instance or Studio from the VPC are named
 * `aws.sagemaker.REGION.notebook` and `aws.sagemaker.REGION.studio`, not `com.amazonaws.…`.
 */
const SAGEMAKER_PREFIX = "aws.sagemaker.";
const SAGEMAKER_SERVICES = new Set(["notebook", "studio"]);

/** An endpoint service name's region and service (`[PREFIX.]com.amazonaws.REGION.SERVICE`, `aws.sagemaker.REGION.SERVICE`). */
function parseServiceName(name: string): { region: string; service: string } | undefined {
    const m = SERVICE_NAME.exec(name.startsWith(SAGEMAKER_PREFIX) ? `com.amazonaws.${name.slice(SAGEMAKER_PREFIX.length)}` : name);
    return m ? { region: m[1], service: m[2] } : undefined;
}
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ARN_REGION = /^arn:[a-z-]+:[a-z0-9-]+:([a-z0-9-]+):/;
const ZONE_REGION = /^([a-z]{2}(?:-[a-z]+)+-\d+)(?:[a-z]|-[a-z0-9-]+)$/;

/** A region a resource names: its `region` (provider v7), its ARN's, or its availability zone's. */
export function regionOf(r: PolicyResource): string | undefined {
    const p = props(r);
    if (known(p["region"]) && REGION.test(p["region"])) {
        return p["region"];
    }
    const fromArn = known(p["arn"]) ? ARN_REGION.exec(p["arn"])?.[1] : undefined;
    if (fromArn && REGION.test(fromArn)) {
        return fromArn;
    }
    return known(p["availabilityZone"]) ? ZONE_REGION.exec(p["availabilityZone"])?.[1] : undefined;
}

/**
 * How messages name a service's endpoint: `com.amazonaws.us-east-1.s3` (`aws.sagemaker.us-east-1.notebook`
 * for SageMaker's notebook and studio endpoints), or `<region>` when the stack does not say.
 */
export function serviceName(service: string, region: string | undefined): string {
    return `${SAGEMAKER_SERVICES.has(service) ? SAGEMAKER_PREFIX : "com.amazonaws."}${region ?? "<region>"}.${service}`;
}

/** Whether a subnet's route table sends traffic for anywhere to a NAT gateway: `nat`, `none`, or `pending` while not known. */
export type NatPath = "nat" | "none" | "pending";

/** A VPC: declared in this stack (`resource`), or managed elsewhere (known by its id or its stack reference). */
export interface Vpc {
    key: string;
    resource?: PolicyResource;
    /** Its region, from itself, its subnets or its endpoints. */
    region?: string;
}

export interface Subnet {
    resource: PolicyResource;
    /** How messages name it: its id, or its logical name while the id is not known. */
    label: string;
    /** Undefined: not known yet. */
    vpc?: Vpc;
    region?: string;
    /** Key of the route table of its explicit association; "pending" when that is not known yet. */
    association?: string;
}

export interface Endpoint {
    resource: PolicyResource;
    vpc?: Vpc;
    /** Undefined: not known yet; "": not an AWS service's endpoint. */
    service?: string;
    type: "Gateway" | "Interface" | "unknown" | "other";
    /** Gateway: keys of the route tables it is on, and of those it may be on. */
    routeTables: Set<string>;
    maybeRouteTables: Set<string>;
    /** Gateway: some of its route tables cannot be known yet. */
    anyRouteTable: boolean;
    privateDns: boolean | "unknown";
    inboundOnly: boolean | "unknown";
}

function boolOrUnknown(v: unknown, dflt: boolean): boolean | "unknown" {
    return isSentinel(v) ? "unknown" : v === true || v === false ? v : dflt;
}

/**
 * Whether one route sends traffic for anywhere to a NAT gateway with a way out: "nat"; "pending"
 * while its destination or target is not known yet; undefined when it does not. `destination` and
 * `target` are the values; `destProp` and `targetProp` the properties of `r` they belong to (for
 * a route table's inline routes, `routes`), and `recordWays` the connectivity of the NAT gateways
 * the dependency record of `targetProp` names (read once per property, however many routes it holds).
 */
function natRoute(r: PolicyResource, destProp: string, destination: unknown, targetProp: string, target: unknown,
    natById: ReadonlyMap<string, PolicyResource>, recordWays: () => ReadonlySet<Connectivity>): "nat" | "pending" | undefined {
    const readable = (v: unknown, prop: string) => !unreadableRaw(v) ? v : unset(r, prop) ? undefined : UNREADABLE;
    const dest = readable(destination, destProp);
    const to = readable(target, targetProp);
    if ((dest !== ANYWHERE && dest !== UNREADABLE) || to === undefined || to === null || to === "") {
        return undefined;
    }
    let ways: ReadonlySet<Connectivity>;
    if (to === UNREADABLE) {
        // Not known yet: one of the NAT gateways its dependency record names.
        ways = recordWays();
        if (ways.size === 0) {
            return "pending";
        }
    } else if (typeof to === "string") {
        // A NAT gateway of this stack, or one declared elsewhere (its connectivity not known: taken as public).
        const g = natById.get(to);
        ways = new Set([g === undefined ? "public" : connectivity(g)]);
    } else {
        return undefined;
    }
    if (ways.size === 1 && ways.has("private")) {
        return undefined;
    }
    return ways.size === 1 && ways.has("public") && dest === ANYWHERE ? "nat" : "pending";
}

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
 * Which dependencies of a route table property are route tables: route table resources, or a
 * VPC (`vpc.mainRouteTableId`) when no route table resource is among them (then a VPC is only
 * where the value was computed from, e.g. a component's output).
 */
function routeTableDependency(r: PolicyResource, prop: string): (d: PolicyResource) => PolicyResource | undefined {
    const viaVpc = !dependencies(r, prop).some(d => ROUTE_TABLES.has(d.type));
    return d => ROUTE_TABLES.has(d.type) || (viaVpc && VPCS.has(d.type)) ? d : undefined;
}

/** What is connected to what, indexed once per stack in linear time. */
export class Graph {
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
    /** An association whose subnet is not known yet: any subnet's route table may be another. */
    private pendingAssociations = false;
    /** Route table key → whether it has a default route (0.0.0.0/0) to a NAT gateway; "pending" while not known. */
    private readonly natRoutes = new Map<string, "nat" | "pending">();
    /** A route to a NAT gateway whose route table is not known yet: any route table may have it. */
    private pendingNatRoutes = false;

    constructor(resources: readonly PolicyResource[]) {
        const buckets = new Map<string, PolicyResource[]>();
        for (const r of resources) {
            const list = buckets.get(r.type);
            if (list) {
                list.push(r);
            } else {
                buckets.set(r.type, [r]);
            }
        }
        const byType = (types: ReadonlySet<string>) => [...types].flatMap(t => buckets.get(t) ?? []);
        for (const r of byType(VPCS)) {
            const vpc: Vpc = { key: r.urn, resource: r, region: regionOf(r) };
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
            const s: Subnet = { resource: r, label: id ?? r.name, vpc, region: regionOf(r) };
            this.subnetByUrn.set(r.urn, s);
            if (id) {
                this.subnetById.set(id, s);
            }
            if (vpc && !vpc.region) {
                vpc.region = s.region;
            }
        }
        this.indexMainRouteTables(routeTables, byType(new Set([MAIN_ASSOCIATION])));
        for (const r of byType(SUBNET_ASSOCIATIONS)) {
            const s = link(r, "subnetId", this.subnetById, d => this.subnetByUrn.get(d.urn));
            if (typeof s === "object") {
                s.association = this.routeTableLink(r, "routeTableId") ?? "pending";
            } else if (s === undefined && isSentinel(props(r)["subnetId"])) {
                this.pendingAssociations = true;
            }
        }
        this.indexEndpoints(byType(ENDPOINTS), byType(new Set([ENDPOINT_ASSOCIATION])), byType(new Set([ENDPOINT_PRIVATE_DNS])));
        this.indexNatRoutes(byType(INLINE_ROUTES), byType(NAT_GATEWAYS), byType(ROUTES));
    }

    /**
     * Whether a subnet's route table (its association's, else its VPC's main one) sends traffic for
     * anywhere to a NAT gateway; "pending" while that, or its route table, is not known yet.
     */
    natOf(s: Subnet): NatPath {
        if (this.natRoutes.size === 0 && !this.pendingNatRoutes) {
            return "none";
        }
        const rt = this.routeTableOf(s);
        if (rt === "pending") {
            return "pending";
        }
        return (rt === undefined ? undefined : this.natRoutes.get(rt)) ?? (this.pendingNatRoutes ? "pending" : "none");
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
    private routeTableKey(ref: PolicyResource | string): string {
        if (typeof ref === "string") {
            const owner = this.mainIdOwner.get(ref);
            return owner ? `default:${owner.key}` : `id:${ref}`;
        }
        const vpc = VPCS.has(ref.type) ? this.vpcByUrn.get(ref.urn) : this.defaultRouteTables.get(ref.urn);
        return vpc ? `default:${vpc.key}` : ref.urn;
    }

    /** The key of the route table property `prop` of `r` names; undefined if not known yet. */
    private routeTableLink(r: PolicyResource, prop: string): string | undefined {
        const rt = link(r, prop, this.routeTableById, routeTableDependency(r, prop));
        return rt === undefined ? undefined : this.routeTableKey(rt);
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

    /** Endpoints, and what other resources say of them: more route tables, private DNS turned on (aws.vpc.EndpointPrivateDns). */
    private indexEndpoints(endpoints: PolicyResource[], associations: PolicyResource[], privateDns: PolicyResource[]): void {
        const byId = new Map<string, Endpoint>();
        const byUrn = new Map<string, Endpoint>();
        for (const r of endpoints) {
            const e = this.endpoint(r);
            byUrn.set(r.urn, e);
            const id = ownId(r, "awsId");
            if (id) {
                byId.set(id, e);
            }
            if (!e.vpc) {
                this.endpointsNowhere.push(e);
                continue;
            }
            const list = this.endpointsByVpc.get(e.vpc.key);
            if (list) {
                list.push(e);
            } else {
                this.endpointsByVpc.set(e.vpc.key, [e]);
            }
            if (!e.vpc.region) {
                const name = props(r)["serviceName"];
                const parsed = known(name) ? parseServiceName(name) : undefined;
                e.vpc.region = parsed && REGION.test(parsed.region) ? parsed.region : regionOf(r);
            }
        }
        // An association (or private DNS setting) of an endpoint not known yet may concern any
        // endpoint: noted once, applied to all of them once (not once per such resource).
        let anyRouteTable = false;
        let anyPrivateDns = false;
        for (const r of associations) {
            const e = link(r, "vpcEndpointId", byId, d => byUrn.get(d.urn));
            const rt = this.routeTableLink(r, "routeTableId");
            if (typeof e !== "object") {
                anyRouteTable ||= e === undefined;
            } else if (rt === undefined) {
                e.anyRouteTable = true;
            } else {
                e.routeTables.add(rt);
            }
        }
        for (const r of privateDns) {
            const e = link(r, "vpcEndpointId", byId, d => byUrn.get(d.urn));
            if (typeof e === "object") {
                e.privateDns = boolOrUnknown(props(r)["privateDnsEnabled"], false);
            } else {
                anyPrivateDns ||= e === undefined;
            }
        }
        for (const e of anyRouteTable || anyPrivateDns ? byUrn.values() : []) {
            e.anyRouteTable ||= anyRouteTable;
            if (anyPrivateDns && e.privateDns !== true) {
                e.privateDns = "unknown";
            }
        }
    }

    /**
     * Default routes to NAT gateways: `aws.ec2.Route` and aws-native `Route` resources, and the
     * inline `routes` of route tables. A route counts when its destination is 0.0.0.0/0 and its
     * `natGatewayId` names a public NAT gateway (`connectivityType` "private" has no way out).
     */
    private indexNatRoutes(routeTables: PolicyResource[], natGateways: PolicyResource[], routes: PolicyResource[]): void {
        const byId = new Map<string, PolicyResource>();
        for (const r of natGateways) {
            const id = ownId(r, "natGatewayId");
            if (id) {
                byId.set(id, r);
            }
        }
        const mark = (rt: string | undefined, to: "nat" | "pending" | undefined) => {
            if (to === undefined) {
                return;
            }
            if (rt === undefined) {
                this.pendingNatRoutes = true;
            } else if (this.natRoutes.get(rt) !== "nat") {
                this.natRoutes.set(rt, to);
            }
        };
        const recordWays = (r: PolicyResource, prop: string) => {
            let ways: ReadonlySet<Connectivity> | undefined;
            return () => ways ??= new Set(dependencies(r, prop).filter(d => NAT_GATEWAYS.has(d.type)).map(connectivity));
        };
        for (const r of routes) {
            const p = props(r);
            mark(this.routeTableLink(r, "routeTableId"),
                natRoute(r, "destinationCidrBlock", p["destinationCidrBlock"], "natGatewayId", p["natGatewayId"], byId, recordWays(r, "natGatewayId")));
        }
        for (const r of routeTables) {
            const inline = props(r)["routes"];
            const key = this.routeTableKey(r);
            const ways = recordWays(r, "routes");
            if (isSentinel(inline)) {
                // Routes the program set from a value not known yet (left unset, the table has none of its own).
                mark(key, unset(r, "routes") ? undefined : "pending");
            } else if (Array.isArray(inline)) {
                for (const route of inline) {
                    if (isObj(route)) {
                        mark(key, natRoute(r, "routes", route["cidrBlock"], "routes", route["natGatewayId"], byId, ways));
                    }
                }
            }
        }
    }

    private endpoint(r: PolicyResource): Endpoint {
        const all = props(r);
        // A setting the program left to the provider, not known yet during preview, is its default.
        const p = (k: string) => isSentinel(all[k]) && unset(r, k) ? undefined : all[k];
        const name = p("serviceName");
        const type = p("vpcEndpointType");
        const parsed = known(name) ? parseServiceName(name) : undefined;
        const service = isSentinel(name) ? undefined : parsed?.service ?? "";
        const e: Endpoint = {
            resource: r,
            vpc: this.vpcLink(r, true),
            service,
            type: type === undefined || type === null || type === "Gateway" ? "Gateway" : type === "Interface" ? "Interface" : isSentinel(type) ? "unknown" : "other",
            routeTables: new Set(),
            maybeRouteTables: new Set(),
            anyRouteTable: false,
            privateDns: boolOrUnknown(p("privateDnsEnabled"), false),
            inboundOnly: false,
        };
        if (e.type === "Gateway") {
            const rts = members(r, "routeTableIds", p("routeTableIds"), this.routeTableById, routeTableDependency(r, "routeTableIds"));
            for (const rt of [...rts.known, ...rts.outside]) {
                e.routeTables.add(this.routeTableKey(rt));
            }
            for (const rt of rts.candidates) {
                e.maybeRouteTables.add(this.routeTableKey(rt));
            }
            e.anyRouteTable = rts.pending;
        } else if (e.type === "Interface") {
            e.inboundOnly = this.inboundOnly(r, p("dnsOptions"), service);
        }
        return e;
    }

    /**
     * Whether private DNS answers only for inbound Resolver endpoints, sending traffic from the
     * VPC to the service's Gateway endpoint. @pulumi/aws: a boolean, default false. aws-native
     * (CloudFormation): `OnlyInboundResolver`, `AllResolvers` or `NotSpecified`, which leaves
     * AWS's default: true for services with Gateway endpoints (Amazon S3 User Guide, "AWS
     * PrivateLink for Amazon S3", Private DNS).
     */
    private inboundOnly(r: PolicyResource, dns: unknown, service: string | undefined): boolean | "unknown" {
        if (isSentinel(dns)) {
            return "unknown";
        }
        const v = isObj(dns) ? dns["privateDnsOnlyForInboundResolverEndpoint"] : undefined;
        if (v === "OnlyInboundResolver" || v === "AllResolvers") {
            return v === "OnlyInboundResolver";
        }
        const native = r.type.startsWith("aws-native:");
        return boolOrUnknown(v, native && service !== undefined && GATEWAY_SERVICES.has(service));
    }

    /**
     * The VPC `r.vpcId` names: by id; during preview through its dependency on a VPC, on a
     * subnet (`vpcId: subnet.vpcId`, with `viaSubnet`) or on a stack reference (a VPC of
     * another stack). Undefined while not known.
     */
    private vpcLink(r: PolicyResource, viaSubnet: boolean): Vpc | undefined {
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
