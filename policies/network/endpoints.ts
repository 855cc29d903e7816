/**
 * VPC endpoints and what carries their traffic: a Gateway endpoint serves the subnets whose route
 * table it is on, an Interface endpoint its whole VPC when private DNS is on (and it is in some
 * subnet). Also what other resources say of them (more route tables, private DNS turned on), and
 * the private hosted zones associated with a VPC (AWS's centralised endpoint pattern).
 */
import { PolicyResource } from "@pulumi/policy";
import { isObj, isSentinel } from "../values/values";
import { dependencies, known, link, Members, ownId, props, unset } from "./links";
import { GATEWAY_SERVICES, parseServiceName, REGION } from "./names";

export const ENDPOINTS = new Set(["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"]);
export const ENDPOINT_ASSOCIATION = "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation";
export const ENDPOINT_PRIVATE_DNS = "aws:vpc/endpointPrivateDns:EndpointPrivateDns";
export const ZONES = new Set(["aws:route53/zone:Zone", "aws-native:route53:HostedZone"]);
export const ZONE_ASSOCIATION = "aws:route53/zoneAssociation:ZoneAssociation";

export interface Endpoint<V> {
    resource: PolicyResource;
    vpc?: V;
    /** Undefined: not known yet; "": not an AWS service's endpoint. */
    service?: string;
    /** The region its service name names (undefined: not known, or not said). */
    region?: string;
    type: "Gateway" | "Interface" | "unknown" | "other";
    /** Gateway: keys of the route tables it is on, and of those it may be on. */
    routeTables: Set<string>;
    maybeRouteTables: Set<string>;
    /** Gateway: some of its route tables cannot be known yet. */
    anyRouteTable: boolean;
    privateDns: boolean | "unknown";
    inboundOnly: boolean | "unknown";
    /** Interface: it is in no subnet (its `subnetIds` empty), so it serves none. */
    noSubnet: boolean;
}

export function boolOrUnknown(v: unknown, dflt: boolean): boolean | "unknown" {
    return isSentinel(v) ? "unknown" : v === true || v === false ? v : dflt;
}

/** How endpoints reach the graph: VPCs, route tables by key. */
export interface EndpointGraph<V> {
    vpcLink(r: PolicyResource, viaSubnet: boolean): V | undefined;
    routeTableLink(r: PolicyResource, prop: string): string | undefined;
    routeTableMembers(r: PolicyResource, prop: string, values: unknown): Members<string>;
}

/** One endpoint, as far as its own properties tell. */
export function endpoint<V>(r: PolicyResource, g: EndpointGraph<V>): Endpoint<V> {
    const all = props(r);
    // A setting the program left to the provider, not known yet during preview, is its default.
    const p = (k: string) => isSentinel(all[k]) && unset(r, k) ? undefined : all[k];
    const name = p("serviceName");
    const type = p("vpcEndpointType");
    const parsed = known(name) ? parseServiceName(name) : undefined;
    const service = isSentinel(name) ? undefined : parsed?.service ?? "";
    const e: Endpoint<V> = {
        resource: r,
        vpc: g.vpcLink(r, true),
        service,
        region: parsed && REGION.test(parsed.region) ? parsed.region : undefined,
        type: type === undefined || type === null || type === "Gateway" ? "Gateway" : type === "Interface" ? "Interface" : isSentinel(type) ? "unknown" : "other",
        routeTables: new Set(),
        maybeRouteTables: new Set(),
        anyRouteTable: false,
        privateDns: boolOrUnknown(p("privateDnsEnabled"), false),
        inboundOnly: false,
        noSubnet: false,
    };
    if (e.type === "Gateway") {
        const rts = g.routeTableMembers(r, "routeTableIds", p("routeTableIds"));
        [...rts.known, ...rts.outside].forEach(k => e.routeTables.add(k));
        rts.candidates.forEach(k => e.maybeRouteTables.add(k));
        e.anyRouteTable = rts.pending;
    } else if (e.type === "Interface") {
        e.inboundOnly = inboundOnly(r, p("dnsOptions"), service);
        const subnets = p("subnetIds");
        // In no subnet: an empty list, or none at all with private DNS off (terraform-aws-modules'
        // Interface default for an endpoint meant as a Gateway one).
        e.noSubnet = (Array.isArray(subnets) && subnets.length === 0) || (subnets === undefined && e.privateDns === false);
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
function inboundOnly(r: PolicyResource, dns: unknown, service: string | undefined): boolean | "unknown" {
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
 * What other resources say of endpoints: more route tables (VpcEndpointRouteTableAssociation),
 * private DNS turned on (aws.vpc.EndpointPrivateDns). One that names an endpoint not known yet
 * may concern any endpoint: noted once, applied to all of them once.
 */
export function applyEndpointSettings<V>(all: Endpoint<V>[], associations: PolicyResource[], privateDns: PolicyResource[], g: EndpointGraph<V>): void {
    const byId = new Map<string, Endpoint<V>>();
    const byUrn = new Map<string, Endpoint<V>>();
    for (const e of all) {
        byUrn.set(e.resource.urn, e);
        const id = ownId(e.resource, "awsId");
        if (id) {
            byId.set(id, e);
        }
    }
    let anyRouteTable = false;
    let anyPrivateDns = false;
    for (const r of associations) {
        const e = link(r, "vpcEndpointId", byId, d => byUrn.get(d.urn));
        const rt = g.routeTableLink(r, "routeTableId");
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
            e.noSubnet &&= e.privateDns === false;
        } else {
            anyPrivateDns ||= e === undefined;
        }
    }
    for (const e of anyRouteTable || anyPrivateDns ? all : []) {
        e.anyRouteTable ||= anyRouteTable;
        if (anyPrivateDns && e.privateDns !== true) {
            e.privateDns = "unknown";
            e.noSubnet = false;
        }
    }
}

/**
 * Private hosted zones and the VPCs they are associated with (`vpcs[].vpcId` of a zone, or an
 * aws.route53.ZoneAssociation): VPC key → zone names. A zone name not known yet is left out
 * (the finding it could prevent is then said, as before: no false pass).
 */
export function zonesByVpc<V extends { key: string }>(zones: PolicyResource[], associations: PolicyResource[], g: EndpointGraph<V>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (vpc: V | undefined, name: unknown) => {
        if (vpc && known(name)) {
            out.set(vpc.key, [...out.get(vpc.key) ?? [], name]);
        }
    };
    const byId = new Map<string, PolicyResource>();
    for (const z of zones) {
        const id = ownId(z, "id");
        for (const k of [id, props(z)["zoneId"]]) {
            if (known(k)) {
                byId.set(k, z);
            }
        }
        const vpcs = props(z)["vpcs"];
        const deps = Array.isArray(vpcs) && vpcs.length === 1 ? dependencies(z, "vpcs") : [];
        for (const v of Array.isArray(vpcs) ? vpcs : []) {
            if (isObj(v)) {
                // One entry: its VPC by id, or (preview) through the record when the zone has one VPC.
                const fake = { ...z, props: { vpcId: v["vpcId"] }, dependencies: [], propertyDependencies: { vpcId: deps } } as PolicyResource;
                add(g.vpcLink(fake, false), props(z)["name"]);
            }
        }
    }
    for (const a of associations) {
        const z = link(a, "zoneId", byId, d => ZONES.has(d.type) ? d : undefined);
        if (typeof z === "object") {
            add(g.vpcLink(a, false), props(z)["name"]);
        }
    }
    return out;
}
