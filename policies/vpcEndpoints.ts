import { PolicyResource } from "@pulumi/policy";
import { Finding, notApplicable, PREVIEW_NOTE, stackPolicy } from "./lib/policy";
import { DYNAMIC, isObj, isSentinel, UNKNOWN, unwrap } from "./lib/values";
import { extract, KIND_NOUNS, Workload, WORKLOAD_TYPES } from "./workloads";

const VPCS = new Set(["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws-native:ec2:Vpc"]);
const SUBNETS = new Set(["aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet", "aws-native:ec2:Subnet"]);
const ENDPOINTS = new Set(["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"]);

/** `com.amazonaws.REGION.SERVICE` (any partition prefix, e.g. `cn.`) → `SERVICE`. */
const SERVICE = /^(?:[a-z]+\.)?com\.amazonaws\.[a-z0-9-]+\.([a-z0-9.-]+)$/;

function props(r: PolicyResource): Record<string, unknown> {
    const p = unwrap(r.props);
    return isObj(p) ? p : {};
}

function known(v: unknown): v is string {
    return typeof v === "string" && v !== "" && !isSentinel(v);
}

/** A resource's own id: `id` for @pulumi/aws, `vpcId`/`subnetId` for aws-native outputs. */
function ownId(r: PolicyResource, nativeKey: string): string | undefined {
    const p = props(r);
    return known(p["id"]) ? p["id"] : r.type.startsWith("aws-native:") && known(p[nativeKey]) ? p[nativeKey] : undefined;
}

/**
 * Resources of `types` that `r` depends on through property `prop`; with `fallback`, through any
 * property when `r` records no dependencies for `prop` (older states).
 */
function dependenciesOf(r: PolicyResource, prop: string, types: ReadonlySet<string>, fallback: boolean): PolicyResource[] {
    const byProp = r.propertyDependencies?.[prop];
    const deps = byProp && byProp.length > 0 ? byProp : fallback ? r.dependencies ?? [] : [];
    return deps.filter(d => types.has(d.type));
}

const VPCS_OR_SUBNETS = new Set([...VPCS, ...SUBNETS]);

interface Endpoints {
    services: Set<string>;
    unknown: number;
}

export const vpcEndpoints = stackPolicy({
    name: "sagemaker-vpc-endpoints",
    description: "SageMaker models and jobs attached to a VPC have the VPC endpoints they need in that VPC " +
        "(at least Amazon S3): with or without network isolation, SageMaker moves their data and model " +
        "artifacts through the VPC's subnets, which have no route to AWS services otherwise.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["sagemaker", "vpc", "vpc-endpoints", "private-networking"],
    remediationSteps: "Add an aws.ec2.VpcEndpoint to the VPC for each required service: a Gateway endpoint for " +
        "com.amazonaws.<region>.s3 associated with the subnets' route tables, and Interface endpoints for other " +
        "services the container or job uses (e.g. sagemaker.api, sagemaker.runtime, ecr.api, ecr.dkr, logs, sts).",
    configSchema: {
        properties: {
            requiredServices: {
                type: "array",
                items: { type: "string", pattern: "^[a-z0-9][a-z0-9.-]*$" },
                uniqueItems: true,
                default: ["s3"],
                description: "Services (the part after com.amazonaws.<region>.) that need an endpoint in the VPC.",
            },
            unresolvedVpc: {
                type: "string",
                enum: ["report", "ignore"],
                default: "report",
                description: "What to do when a workload's subnets are not declared in this stack: report that " +
                    "its endpoints cannot be verified, or ignore it (VPCs managed in another stack).",
            },
        },
    },
}, ({ args, config }) => {
    const required = Array.isArray(config["requiredServices"])
        ? config["requiredServices"].filter((s): s is string => typeof s === "string")
        : ["s3"];
    const reportUnresolved = config["unresolvedVpc"] !== "ignore";

    // One pass: index VPCs and subnets by id, collect endpoints and VPC-attached workloads.
    const vpcById = new Map<string, PolicyResource>();
    const vpcByUrn = new Map<string, PolicyResource>();
    const subnetById = new Map<string, PolicyResource>();
    const endpointResources: PolicyResource[] = [];
    const attached: { r: PolicyResource; w: Workload }[] = [];
    for (const r of args.resources) {
        if (VPCS.has(r.type)) {
            vpcByUrn.set(r.urn, r);
            const id = ownId(r, "vpcId");
            if (id) {
                vpcById.set(id, r);
            }
        } else if (SUBNETS.has(r.type)) {
            const id = ownId(r, "subnetId");
            if (id) {
                subnetById.set(id, r);
            }
        } else if (ENDPOINTS.has(r.type)) {
            endpointResources.push(r);
        } else if (WORKLOAD_TYPES.has(r.type)) {
            for (const w of extract(r.type, r.props).workloads) {
                if (w.vpc) {
                    attached.push({ r, w });
                }
            }
        }
    }
    if (attached.length === 0) {
        return notApplicable("No SageMaker model or job of this stack is attached to a VPC");
    }

    /**
     * A key that names the VPC `r.vpcId` refers to, whether its id is known yet or not: by id, or
     * through the dependency of `vpcId` on a VPC, or on a subnet (`vpcId: subnet.vpcId`).
     */
    const vpcKey = (r: PolicyResource, viaSubnet = true): string | undefined => {
        const v = props(r)["vpcId"];
        if (known(v)) {
            const vpc = vpcById.get(v);
            return vpc ? vpc.urn : `id:${v}`;
        }
        const keys = new Set(dependenciesOf(r, "vpcId", VPCS_OR_SUBNETS, true)
            .map(d => VPCS.has(d.type) ? d.urn : viaSubnet ? vpcKey(d, false) : undefined));
        return keys.size === 1 ? [...keys][0] : undefined;
    };
    const vpcName = (key: string) => vpcByUrn.get(key)?.name;

    const endpoints = new Map<string, Endpoints>();
    let endpointsNowhere = 0; // endpoints whose VPC is not known yet: they may be in any VPC
    for (const e of endpointResources) {
        const key = vpcKey(e);
        if (!key) {
            endpointsNowhere++;
            continue;
        }
        const entry = endpoints.get(key) ?? { services: new Set<string>(), unknown: 0 };
        endpoints.set(key, entry);
        const svc = props(e)["serviceName"];
        const m = known(svc) ? SERVICE.exec(svc) : null;
        if (m) {
            entry.services.add(m[1]);
        } else if (!known(svc)) {
            entry.unknown++;
        }
    }

    const out: Finding[] = [];
    for (const { r, w } of attached) {
        const vpc = w.vpc!;
        const top = vpc.path.split(/[.[]/)[0];
        const what = `${r.name}: the ${KIND_NOUNS[w.kind]} at ${vpc.path}`;
        const keys = new Set<string>();
        let elsewhere = false; // a subnet id that no subnet of this stack has
        let runTime = vpc.subnets === DYNAMIC; // subnets a pipeline or state machine sets at run time
        let pending = false;
        if (!runTime) {
            const ids = Array.isArray(vpc.subnets) ? vpc.subnets : [];
            const subnets: PolicyResource[] = [];
            if (vpc.subnets === UNKNOWN || ids.some(s => s === UNKNOWN)) {
                // Not known yet (preview): the subnets are the ones this property depends on.
                subnets.push(...dependenciesOf(r, top, SUBNETS, false));
                if (subnets.length === 0) {
                    pending = true;
                }
            }
            for (const id of ids) {
                if (typeof id === "string") {
                    const s = subnetById.get(id);
                    if (s) {
                        subnets.push(s);
                    } else {
                        elsewhere = true;
                    }
                } else if (id === DYNAMIC) {
                    runTime = true;
                }
            }
            for (const s of subnets) {
                const key = vpcKey(s);
                if (key) {
                    keys.add(key);
                } else {
                    pending = true;
                }
            }
        }
        if (pending) {
            out.push({ urn: r.urn, note: true, message: `${PREVIEW_NOTE} ${what} is in subnets whose VPC is not known yet; its VPC endpoints are checked when it is.` });
        }
        if (elsewhere && reportUnresolved) {
            out.push({ urn: r.urn, message: `${what} uses subnets that are not declared in this stack, so its VPC endpoints (${required.join(", ")}) cannot be verified. Declare the VPC here, or set unresolvedVpc to "ignore" for VPCs managed elsewhere.` });
        }
        if (runTime && reportUnresolved) {
            out.push({ urn: r.urn, message: `${what} gets its subnets at run time, so its VPC endpoints (${required.join(", ")}) cannot be verified. Use fixed subnets, or set unresolvedVpc to "ignore".` });
        }
        for (const key of keys) {
            const have = endpoints.get(key) ?? { services: new Set<string>(), unknown: 0 };
            const missing = required.filter(s => !have.services.has(s));
            if (missing.length === 0) {
                continue;
            }
            const name = vpcName(key);
            const inVpc = name ? `VPC ${name}` : "its VPC";
            if (have.unknown > 0 || endpointsNowhere > 0) {
                out.push({ urn: r.urn, note: true, message: `${PREVIEW_NOTE} ${what} is in ${inVpc}; whether it has VPC endpoints for ${missing.join(", ")} is checked when the ${have.unknown > 0 ? "service names" : "VPCs"} of the stack's VPC endpoints are known.` });
            } else {
                out.push({ urn: r.urn, message: `${what} is in ${inVpc}, which has no VPC endpoint for ${missing.map(s => `com.amazonaws.<region>.${s}`).join(", ")}. Add ${missing.length > 1 ? "them" : "it"} (aws.ec2.VpcEndpoint) so SageMaker can reach ${missing.join(", ")} from the VPC.` });
            }
        }
    }
    return out;
});
