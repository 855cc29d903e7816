/**
 * IPv6 egress of dual-stack Studio domains: a VpcOnly domain with `domainSettings.ipAddressType`
 * DUALSTACK (aws-native; compared in any letter case, as the API spells it `dualstack`) whose
 * subnet's route table sends `::/0` to an egress-only or internet gateway reaches the internet
 * over IPv6, whatever its IPv4 routes (no NAT gateway) say. Only what the stack declares is
 * followed: a subnet's explicit route table association, and routes written as `aws.ec2.Route`
 * / aws-native `Route` (`destinationIpv6CidrBlock`) or inline in an `aws.ec2.RouteTable`
 * (`routes[].ipv6CidrBlock`). A value not known yet never yields a finding.
 */
import { PolicyResource } from "@pulumi/policy";
import { isObj } from "../values/values";
import { dependencies, known, link, ownId, props } from "./links";

const DOMAIN = "aws-native:sagemaker:Domain";
const SUBNETS = new Set(["aws:ec2/subnet:Subnet", "aws-native:ec2:Subnet"]);
const ROUTE_TABLES = new Set(["aws:ec2/routeTable:RouteTable", "aws-native:ec2:RouteTable"]);
const INLINE_ROUTES = "aws:ec2/routeTable:RouteTable";
const ROUTES = new Set(["aws:ec2/route:Route", "aws-native:ec2:Route"]);
const ASSOCIATIONS = new Set(["aws:ec2/routeTableAssociation:RouteTableAssociation", "aws-native:ec2:SubnetRouteTableAssociation"]);
const GATEWAYS = new Set(["aws:ec2/internetGateway:InternetGateway", "aws-native:ec2:InternetGateway"]);
const ANYWHERE6 = "::/0";

/** An IPv6 egress finding: the domain it is about and what to say. */
export interface Ipv6Egress {
    urn: string;
    message: string;
}

/** What a `::/0` route goes to, if it leaves the VPC for the internet: an egress-only or an internet gateway. */
function gatewayOf(r: PolicyResource, route: Record<string, unknown>): string | undefined {
    const eigw = route["egressOnlyGatewayId"];
    if (typeof eigw === "string" && eigw !== "") {
        return "an egress-only internet gateway";
    }
    const gw = route["gatewayId"];
    if (known(gw) ? gw.startsWith("igw-") : dependencies(r, "gatewayId").some(d => GATEWAYS.has(d.type))) {
        return "an internet gateway";
    }
    return undefined;
}

/** Route table URN (or id) → how its `::/0` route to a gateway is named in messages. */
function ipv6Routes(resources: readonly PolicyResource[], tableById: ReadonlyMap<string, PolicyResource>): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of resources) {
        if (ROUTES.has(r.type)) {
            const p = props(r);
            const via = p["destinationIpv6CidrBlock"] === ANYWHERE6 ? gatewayOf(r, p) : undefined;
            const table = via ? link(r, "routeTableId", tableById, d => ROUTE_TABLES.has(d.type) ? d : undefined) : undefined;
            if (via && table !== undefined) {
                out.set(typeof table === "string" ? table : table.urn, `${via} (route ${r.name}: destinationIpv6CidrBlock ::/0)`);
            }
        } else if (r.type === INLINE_ROUTES) {
            const routes = props(r)["routes"];
            (Array.isArray(routes) ? routes : []).forEach((rt, i) => {
                const via = isObj(rt) && rt["ipv6CidrBlock"] === ANYWHERE6 ? gatewayOf(r, rt) : undefined;
                if (via && !out.has(r.urn)) {
                    out.set(r.urn, `${via} (route table ${r.name}: routes[${i}].ipv6CidrBlock ::/0)`);
                }
            });
        }
    }
    return out;
}

/** Whether a domain is VpcOnly and dual-stack (both values known). */
function dualStackVpcOnly(r: PolicyResource): boolean {
    const p = props(r);
    const settings = p["domainSettings"];
    const ip = isObj(settings) ? settings["ipAddressType"] : undefined;
    return p["appNetworkAccessType"] === "VpcOnly" && known(ip) && ip.toLowerCase() === "dualstack";
}

/** Every dual-stack VpcOnly domain with a subnet whose route table sends `::/0` to an internet-facing gateway. */
export function dualStackEgress(resources: readonly PolicyResource[]): Ipv6Egress[] {
    const domains = resources.filter(r => r.type === DOMAIN && dualStackVpcOnly(r));
    if (domains.length === 0) {
        return [];
    }
    const tableById = new Map<string, PolicyResource>();
    const subnetById = new Map<string, PolicyResource>();
    for (const r of resources) {
        const id = ROUTE_TABLES.has(r.type) ? ownId(r, "routeTableId") : SUBNETS.has(r.type) ? ownId(r, "subnetId") : undefined;
        if (id) {
            (ROUTE_TABLES.has(r.type) ? tableById : subnetById).set(id, r);
        }
    }
    const routes = ipv6Routes(resources, tableById);
    // Subnet URN (or id) → route table URN (or id), from explicit associations.
    const tableOf = new Map<string, string>();
    for (const r of resources.filter(a => ASSOCIATIONS.has(a.type))) {
        const s = link(r, "subnetId", subnetById, d => SUBNETS.has(d.type) ? d : undefined);
        const t = link(r, "routeTableId", tableById, d => ROUTE_TABLES.has(d.type) ? d : undefined);
        if (s !== undefined && t !== undefined) {
            tableOf.set(typeof s === "string" ? s : s.urn, typeof t === "string" ? t : t.urn);
        }
    }
    const out: Ipv6Egress[] = [];
    for (const d of domains) {
        const ids = props(d)["subnetIds"];
        const subnets = new Map<string, string>(); // key → how messages name it
        (Array.isArray(ids) ? ids : []).filter(known).forEach(id => {
            const s = subnetById.get(id);
            subnets.set(s ? s.urn : id, s ? s.name : "a subnet outside this stack");
        });
        dependencies(d, "subnetIds").filter(s => SUBNETS.has(s.type)).forEach(s => subnets.set(s.urn, s.name));
        for (const [key, label] of subnets) {
            const table = tableOf.get(key);
            const via = table === undefined ? undefined : routes.get(table);
            if (via) {
                out.push({
                    urn: d.urn,
                    message: `${d.name}: domainSettings.ipAddressType is DUALSTACK and subnet ${label} sends IPv6 traffic for anywhere to ${via}, ` +
                        "so the VpcOnly domain's apps reach the internet over IPv6, past the VPC endpoints and NAT rules of IPv4. " +
                        "Set ipAddressType to IPV4, or remove the ::/0 route from the subnet's route table.",
                });
                break;
            }
        }
    }
    return out;
}
