/**
 * IPv6 egress of dual-stack Studio domains: a VpcOnly domain with `domainSettings.ipAddressType`
 * DUALSTACK (aws-native; compared in any letter case, as the API spells it `dualstack`) whose
 * subnet's route table sends `::/0` to an egress-only or internet gateway reaches the internet
 * over IPv6, whatever its IPv4 routes (no NAT gateway) say. The subnet's route table is the one
 * the stack's network graph (./graph) gives it, as for IPv4: its explicit association's, else its
 * VPC's main route table; routes are `aws.ec2.Route` / aws-native `Route`
 * (`destinationIpv6CidrBlock`) or inline in an `aws.ec2.RouteTable` or `DefaultRouteTable`
 * (`routes[].ipv6CidrBlock`). A value not known yet never yields a finding.
 */
import { PolicyResource } from "@pulumi/policy";
import { isObj } from "../values/values";
import { Graph, Subnet } from "./graph";
import { dependencies, known, props } from "./links";
import { INLINE_ROUTES, ROUTES } from "./routes";
import { StackIndex } from "./stack";

const DOMAIN = "aws-native:sagemaker:Domain";
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

/** Route table key (as the graph keys them) → how its `::/0` route to a gateway is named in messages. */
function ipv6Routes(stack: StackIndex, graph: Graph): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of stack.of([...ROUTES, ...INLINE_ROUTES])) {
        if (ROUTES.has(r.type)) {
            const p = props(r);
            const via = p["destinationIpv6CidrBlock"] === ANYWHERE6 ? gatewayOf(r, p) : undefined;
            const table = via ? graph.routeTableLink(r, "routeTableId") : undefined;
            if (via && table !== undefined && !out.has(table)) {
                out.set(table, `${via} (route ${r.name}: destinationIpv6CidrBlock ::/0)`);
            }
        } else if (INLINE_ROUTES.has(r.type)) {
            const routes = props(r)["routes"];
            const table = graph.routeTableKey(r);
            (Array.isArray(routes) ? routes : []).forEach((rt, i) => {
                const via = isObj(rt) && rt["ipv6CidrBlock"] === ANYWHERE6 ? gatewayOf(r, rt) : undefined;
                if (via && !out.has(table)) {
                    out.set(table, `${via} (route table ${r.name}: routes[${i}].ipv6CidrBlock ::/0)`);
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
export function dualStackEgress(stack: StackIndex, graph: Graph): Ipv6Egress[] {
    const domains = stack.ofType(DOMAIN).filter(dualStackVpcOnly);
    if (domains.length === 0) {
        return [];
    }
    const routes = ipv6Routes(stack, graph);
    const out: Ipv6Egress[] = [];
    for (const d of domains) {
        const ids = props(d)["subnetIds"];
        const subnets = new Set([
            ...(Array.isArray(ids) ? ids : []).filter(known).map(id => graph.subnetById.get(id)),
            ...dependencies(d, "subnetIds").map(s => graph.subnetByUrn.get(s.urn)),
        ].filter((s): s is Subnet => s !== undefined));
        for (const s of subnets) {
            const table = graph.routeTableOf(s);
            const via = table === undefined || table === "pending" ? undefined : routes.get(table);
            if (via) {
                out.push({
                    urn: d.urn,
                    message: `${d.name}: domainSettings.ipAddressType is DUALSTACK and subnet ${s.resource.name} sends IPv6 traffic for anywhere to ${via}, ` +
                        "so the VpcOnly domain's apps reach the internet over IPv6, past the VPC endpoints and NAT rules of IPv4. " +
                        "Set ipAddressType to IPV4, or remove the ::/0 route from the subnet's route table.",
                });
                break;
            }
        }
    }
    return out;
}
