/** Dual-stack VpcOnly Studio domains with an IPv6 default route to the internet (policies/network/ipv6.ts), through the stack policy. */
import * as assert from "assert";
import { vpcEndpointsPolicy } from "../rules";
import { analyzeStack, StackResource, UNKNOWN_SENTINEL } from "../harness";

const base = (ipAddressType: unknown, network: StackResource[]): StackResource[] => [
    { type: "aws:ec2/vpc:Vpc", name: "main", props: { id: "vpc-1", cidrBlock: "10.0.0.0/16", mainRouteTableId: "rtb-main-1", region: "us-east-1" } },
    { type: "aws:ec2/subnet:Subnet", name: "private-a", props: { id: "subnet-2", vpcId: "vpc-1", ipv6CidrBlock: "2600:1f18::/64" } },
    { type: "aws:ec2/routeTable:RouteTable", name: "rt-private-a", props: { id: "rtb-private-1", vpcId: "vpc-1" } },
    { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: "assoc-private-a", props: { subnetId: "subnet-2", routeTableId: "rtb-private-1" } },
    { type: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway", name: "eigw", props: { id: "eigw-1", vpcId: "vpc-1" } },
    {
        type: "aws-native:sagemaker:Domain", name: "studio", props: {
            domainName: "ml", authMode: "IAM", appNetworkAccessType: "VpcOnly", vpcId: "vpc-1", subnetIds: ["subnet-2"],
            domainSettings: { ipAddressType }, defaultUserSettings: { executionRole: "arn:aws:iam::123456789012:role/sm" },
        },
    },
    ...network,
];

const EIGW_ROUTE: StackResource = { type: "aws:ec2/route:Route", name: "v6-default", props: { routeTableId: "rtb-private-1", destinationIpv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-1" } };

/** The diagnostics `resources` get that `without` does not. */
async function added(resources: StackResource[], without: StackResource[]): Promise<string[]> {
    const before = new Set((await analyzeStack(vpcEndpointsPolicy, without)).map(d => d.message));
    return (await analyzeStack(vpcEndpointsPolicy, resources)).map(d => d.message).filter(m => !before.has(m));
}

describe("dual-stack Studio domains (IPv6 egress)", () => {
    it("a DUALSTACK VpcOnly domain whose subnet routes ::/0 to an egress-only gateway gets a finding naming IPv6 and the route", async () => {
        const ds = await added(base("DUALSTACK", [EIGW_ROUTE]), base("DUALSTACK", []));
        assert.strictEqual(ds.length, 1, ds.join("\n"));
        assert.ok(ds[0].includes("studio: domainSettings.ipAddressType is DUALSTACK and subnet private-a sends IPv6 traffic for anywhere to an egress-only internet gateway (route v6-default: destinationIpv6CidrBlock ::/0)"), ds[0]);
    });

    it("compares the address type in any letter case, and reads inline routes to an internet gateway", async () => {
        const inline: StackResource = { type: "aws:ec2/routeTable:RouteTable", name: "rt-private-a", props: { id: "rtb-private-1", vpcId: "vpc-1", routes: [{ ipv6CidrBlock: "::/0", gatewayId: "igw-1" }] } };
        const stack = base("dualstack", []).map(r => r.name === "rt-private-a" ? inline : r);
        const ds = await added(stack, base("dualstack", []));
        assert.strictEqual(ds.length, 1, ds.join("\n"));
        assert.ok(ds[0].includes("to an internet gateway (route table rt-private-a: routes[0].ipv6CidrBlock ::/0)"), ds[0]);
    });

    it("follows the subnet to its VPC's main route table when it has no association of its own", async () => {
        const onMain = (route: StackResource[]) => base("DUALSTACK", route).filter(r => r.name !== "assoc-private-a");
        const ds = await added(onMain([{ ...EIGW_ROUTE, props: { ...EIGW_ROUTE.props, routeTableId: "rtb-main-1" } }]), onMain([]));
        assert.strictEqual(ds.length, 1, ds.join("\n"));
        assert.ok(ds[0].includes("subnet private-a sends IPv6 traffic for anywhere to an egress-only internet gateway (route v6-default"), ds[0]);
        // The route on the subnet's own route table is the one that counts once it has an association.
        assert.deepStrictEqual((await added(base("DUALSTACK", [{ ...EIGW_ROUTE, props: { ...EIGW_ROUTE.props, routeTableId: "rtb-main-1" } }]), base("DUALSTACK", [])))
            .filter(m => m.includes("IPv6")), []);
    });

    it("IPv4 domains, address types not known yet, and ::/0 routes to other targets get no finding", async () => {
        for (const [type, route] of [["IPV4", EIGW_ROUTE], [UNKNOWN_SENTINEL, EIGW_ROUTE],
            ["DUALSTACK", { ...EIGW_ROUTE, props: { routeTableId: "rtb-private-1", destinationIpv6CidrBlock: "::/0", vpcPeeringConnectionId: "pcx-1" } }],
            ["DUALSTACK", { ...EIGW_ROUTE, props: { routeTableId: UNKNOWN_SENTINEL, destinationIpv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-1" } }]] as [unknown, StackResource][]) {
            const ds = (await added(base(type, [route]), base(type, []))).filter(m => m.includes("IPv6"));
            assert.deepStrictEqual(ds, [], String(type));
        }
    });
});
