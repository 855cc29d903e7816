/**
 * Stacks shaped the way @pulumi/awsx 3.x `ec2.Vpc` builds them, as the engine sends them to
 * AnalyzeStack: in `preview` (a new stack: every id and computed output is the engine's unknown
 * value, links are known only through dependency records) or after `update` (ids known).
 *
 * awsx makes, under the component: the VPC; an internet gateway; per availability zone a public
 * and a private subnet, each with its own route table and explicit association; NAT gateways by
 * its `natGateways.strategy` ("OnePerAz", the default: an Elastic IP and a NAT gateway in each
 * public subnet; "Single": one, in the first public subnet; "None": none); a default route per
 * public route table to the internet gateway, and per private route table to its AZ's NAT gateway
 * (or the single one; none without NAT gateways); and one VPC endpoint per `vpcEndpointSpecs` entry,
 * named after its service. With the default `vpcEndpointStrategy` ("Legacy") a Gateway endpoint
 * gets only the route tables its spec names (usually none); "Auto" puts it on every route table
 * awsx made. A value computed from awsx outputs (e.g. `vpc.privateSubnetIds`) carries a
 * dependency record naming all of its subnets, public and private, not only the ones it holds.
 */
import { AnalyzerResource } from "../../cli/engine/client";
import { UNKNOWN_SENTINEL as UNKNOWN } from "../../policies/values/sentinels";

export type Phase = "preview" | "update";

const STACK = "dev";
const PROJECT = "ml";

export class StackBuilder {
    readonly resources: AnalyzerResource[] = [];
    private next = 0;

    constructor(readonly phase: Phase) { }

    /**
     * A resource with its outputs. The engine records a dependency list for every property the
     * program set (`deps`, empty for the others); `computed` names the outputs the provider
     * computed (besides `id` and `arn`), which have none.
     */
    add(type: string, name: string, props: Record<string, unknown>,
        opts: { parent?: AnalyzerResource; deps?: Record<string, AnalyzerResource[]>; computed?: string[] } = {}): AnalyzerResource {
        const chain = opts.parent ? `${opts.parent.urn.split("::")[2]}$${type}` : type;
        const outputs = new Set(["id", "arn", ...(opts.computed ?? [])]);
        const propertyDependencies = Object.fromEntries(Object.keys(props).filter(k => !outputs.has(k))
            .map(k => [k, (opts.deps?.[k] ?? []).map(r => r.urn)]));
        const r: AnalyzerResource = {
            type, name, urn: `urn:pulumi:${STACK}::${PROJECT}::${chain}::${name}`, props, parent: opts.parent?.urn,
            dependencies: [...new Set(Object.values(propertyDependencies).flat())], propertyDependencies,
        };
        this.resources.push(r);
        return r;
    }

    /** A computed value: unknown during preview, else a fresh AWS-style id (`rtb-0...`). */
    id(prefix: string): string {
        return this.phase === "preview" ? UNKNOWN : `${prefix}-0${(++this.next).toString(16).padStart(16, "0")}`;
    }

    /** What a property referring to `r` holds: its id (unknown during preview). */
    ref(r: AnalyzerResource): unknown {
        return r.props["id"];
    }
}

export interface AwsxVpc {
    vpc: AnalyzerResource;
    publicSubnets: AnalyzerResource[];
    privateSubnets: AnalyzerResource[];
    publicRouteTables: AnalyzerResource[];
    privateRouteTables: AnalyzerResource[];
    natGateways: AnalyzerResource[];
    endpoints: AnalyzerResource[];
}

export interface AwsxVpcArgs {
    name?: string;
    region?: string;
    azs?: number;
    /** `vpcEndpointSpecs` entries, with the `vpcEndpointStrategy`. */
    endpointSpecs?: { serviceName: string; vpcEndpointType?: "Gateway" | "Interface"; privateDnsEnabled?: boolean }[];
    vpcEndpointStrategy?: "Legacy" | "Auto";
    /** `natGateways.strategy` (default "OnePerAz"). */
    natGateways?: "None" | "Single" | "OnePerAz";
}

/** `new awsx.ec2.Vpc(name, { numberOfAvailabilityZones: azs, natGateways: { strategy }, vpcEndpointSpecs, vpcEndpointStrategy })`. */
export function awsxVpc(b: StackBuilder, args: AwsxVpcArgs = {}): AwsxVpc {
    const name = args.name ?? "ml";
    const region = args.region ?? "us-east-1";
    const component = b.add("awsx:ec2:Vpc", name, {});
    const vpcId = b.id("vpc");
    const main = b.id("rtb");
    const vpc = b.add("aws:ec2/vpc:Vpc", name, {
        id: vpcId, arn: b.phase === "preview" ? UNKNOWN : `arn:aws:ec2:${region}:123456789012:vpc/${vpcId}`, region,
        cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true,
        mainRouteTableId: main, defaultRouteTableId: main, tags: { Name: name },
    }, { parent: component, computed: ["mainRouteTableId", "defaultRouteTableId"] });
    const igw = b.add("aws:ec2/internetGateway:InternetGateway", name, { id: b.id("igw"), vpcId: b.ref(vpc), region }, { parent: vpc, deps: { vpcId: [vpc] } });
    const out: AwsxVpc = { vpc, publicSubnets: [], privateSubnets: [], publicRouteTables: [], privateRouteTables: [], natGateways: [], endpoints: [] };
    let nat: AnalyzerResource | undefined;
    for (let i = 0; i < (args.azs ?? 2); i++) {
        const az = `${region}${"abcdef"[i]}`;
        const strategy = args.natGateways ?? "OnePerAz";
        for (const kind of ["public", "private"] as const) {
            const subnetName = `${name}-${kind}-${i + 1}`;
            const subnet = b.add("aws:ec2/subnet:Subnet", subnetName, {
                id: b.id("subnet"), vpcId: b.ref(vpc), availabilityZone: az, region,
                cidrBlock: `10.0.${i * 64 + (kind === "public" ? 0 : 32)}.0/19`, mapPublicIpOnLaunch: kind === "public",
                tags: { Name: subnetName, SubnetType: kind === "public" ? "Public" : "Private" },
            }, { parent: vpc, deps: { vpcId: [vpc] } });
            const rt = b.add("aws:ec2/routeTable:RouteTable", subnetName, { id: b.id("rtb"), vpcId: b.ref(vpc), region }, { parent: subnet, deps: { vpcId: [vpc] } });
            b.add("aws:ec2/routeTableAssociation:RouteTableAssociation", subnetName, {
                id: b.id("rtbassoc"), subnetId: b.ref(subnet), routeTableId: b.ref(rt), region,
            }, { parent: rt, deps: { subnetId: [subnet], routeTableId: [rt] } });
            if (kind === "public") {
                if (strategy === "OnePerAz" || (strategy === "Single" && i === 0)) {
                    const eip = b.add("aws:ec2/eip:Eip", `${name}-${i + 1}`, { id: b.id("eipalloc"), allocationId: b.id("eipalloc"), region }, { parent: subnet, computed: ["allocationId"] });
                    nat = b.add("aws:ec2/natGateway:NatGateway", `${name}-${i + 1}`, {
                        id: b.id("nat"), subnetId: b.ref(subnet), allocationId: eip.props["allocationId"], region,
                    }, { parent: subnet, deps: { subnetId: [subnet], allocationId: [eip] } });
                    out.natGateways.push(nat);
                }
                b.add("aws:ec2/route:Route", subnetName, { routeTableId: b.ref(rt), gatewayId: b.ref(igw), destinationCidrBlock: "0.0.0.0/0" },
                    { parent: rt, deps: { routeTableId: [rt], gatewayId: [igw] } });
                out.publicSubnets.push(subnet);
                out.publicRouteTables.push(rt);
            } else {
                if (nat) {
                    b.add("aws:ec2/route:Route", subnetName, { routeTableId: b.ref(rt), natGatewayId: b.ref(nat), destinationCidrBlock: "0.0.0.0/0" },
                        { parent: rt, deps: { routeTableId: [rt], natGatewayId: [nat] } });
                }
                out.privateSubnets.push(subnet);
                out.privateRouteTables.push(rt);
            }
        }
    }
    const allRouteTables = [...out.publicRouteTables, ...out.privateRouteTables];
    // Settings a spec leaves out are the provider's to compute: not known during preview, then its
    // defaults (no route tables, private DNS off).
    const computed = (v: unknown) => b.phase === "preview" ? UNKNOWN : v;
    for (const spec of args.endpointSpecs ?? []) {
        const gateway = (spec.vpcEndpointType ?? "Gateway") === "Gateway";
        const auto = gateway && args.vpcEndpointStrategy === "Auto";
        out.endpoints.push(b.add("aws:ec2/vpcEndpoint:VpcEndpoint", spec.serviceName, {
            id: b.id("vpce"), vpcId: b.ref(vpc), serviceName: spec.serviceName, vpcEndpointType: spec.vpcEndpointType ?? "Gateway", region,
            privateDnsEnabled: spec.privateDnsEnabled ?? computed(false),
            routeTableIds: auto ? allRouteTables.map(rt => b.ref(rt)) : computed([]),
        }, {
            parent: vpc, deps: { vpcId: [vpc], ...(auto ? { routeTableIds: allRouteTables } : {}) },
            computed: [...(spec.privateDnsEnabled === undefined ? ["privateDnsEnabled"] : []), ...(auto ? [] : ["routeTableIds"])],
        }));
    }
    return out;
}

/**
 * A SageMaker model in `subnets`. `record`: the subnets its dependency record names (default:
 * exactly `subnets`; awsx outputs name all of the VPC's subnets).
 */
export function model(b: StackBuilder, name: string, subnets: AnalyzerResource[], opts: { record?: AnalyzerResource[]; isolation?: boolean; region?: string } = {}): AnalyzerResource {
    const region = opts.region ?? "us-east-1";
    return b.add("aws:sagemaker/model:Model", name, {
        name: `${name}-1a2b3c4`,
        arn: b.phase === "preview" ? UNKNOWN : `arn:aws:sagemaker:${region}:123456789012:model/${name}-1a2b3c4`,
        region,
        executionRoleArn: "arn:aws:iam::123456789012:role/sagemaker",
        enableNetworkIsolation: opts.isolation ?? true,
        primaryContainer: { image: `123456789012.dkr.ecr.${region}.amazonaws.com/scorer:1.0`, modelDataUrl: "s3://ml-artifacts/scorer/model.tar.gz" },
        vpcConfig: { subnets: subnets.map(s => b.ref(s)), securityGroupIds: ["sg-0123456789abcdef0"] },
    }, { deps: { vpcConfig: opts.record ?? subnets } });
}
