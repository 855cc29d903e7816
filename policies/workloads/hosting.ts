/**
 * Resources that host or reach SageMaker containers without being a model or a job: endpoint
 * configurations (@pulumi/aws `EndpointConfiguration`, aws-native `EndpointConfig`), aws-native
 * inference components, Studio spaces and HyperPod clusters. Typed resources only (camel dialect):
 * pipelines and state machines declare none of them.
 */
import { isObj, isOpaque, Obj, Opaque, read, readList } from "../values/values";
import { at, isolationOf, vpcOf, vpcStateOf } from "./api";
import { Access, Isolation, VpcAttachment, Workload } from "./types";

/** The fields every workload has, for kinds no isolation or VPC rule judges through them. */
function base(kind: Workload["kind"], props: Obj): Workload {
    return {
        kind, path: "", isolation: isolationOf(read("camel", props, "EnableNetworkIsolation")), isolationPath: "enableNetworkIsolation",
        containers: [], vpcPath: "vpcConfig", vpcState: vpcStateOf("camel", props),
    };
}

/** A variant hosts inference components when it names no model (`modelName` not set, null or empty). */
function withoutModel(variant: unknown): boolean | Opaque | undefined {
    if (isOpaque(variant)) {
        return variant;
    }
    if (!isObj(variant)) {
        return undefined; // not a variant: AWS would reject it; nothing runs there
    }
    const m = read("camel", variant, "ModelName");
    return m === undefined || m === null || m === "";
}

/**
 * An endpoint configuration: whether it hosts inference components, its isolation (aws-native's
 * `enableNetworkIsolation`; @pulumi/aws has no such property), and SSM access on each production
 * and shadow variant. `classic`: the @pulumi/aws type.
 */
export function endpointConfig(classic: boolean) {
    return (props: Obj): Workload[] => {
        const access: Access[] = [];
        let hosts = false as boolean | Opaque; // (set in the forEach below too: not narrowed)
        let componentsPath: string | undefined;
        for (const key of ["ProductionVariants", "ShadowProductionVariants"]) {
            const list = readList("camel", props, key);
            const listPath = at("camel", "", key);
            if (isOpaque(list)) {
                if (hosts !== true) {
                    hosts = list;
                    componentsPath = listPath; // the list that cannot be read
                }
                access.push({ how: "ssm", path: listPath, state: list });
                continue;
            }
            (list ?? []).forEach((v, i) => {
                const path = `${listPath}[${i}]`;
                const w = withoutModel(v);
                if (w === true && hosts !== true) {
                    hosts = true;
                    componentsPath = path;
                } else if (isOpaque(w) && hosts === false) {
                    hosts = w;
                    componentsPath = path;
                }
                // AWS ignores SSM access on a variant that hosts inference components (@pulumi/aws's documentation).
                if (w !== true) {
                    const ssm: Isolation = isOpaque(v) ? v : isolationOf(read("camel", v, "EnableSsmAccess"));
                    access.push({ how: "ssm", path: isOpaque(v) ? path : `${path}.enableSsmAccess`, state: ssm });
                }
            });
        }
        const w = base("endpoint", props);
        return [{
            ...w, access, hostsComponents: hosts, componentsPath,
            ...(classic ? { isolation: "absent", isolationUnsupported: true } : {}),
        }];
    };
}

/** An inference component: it runs with the isolation of the endpoint configuration of its endpoint. */
export function inferenceComponent(props: Obj): Workload[] {
    return [{ ...base("component", props), isolation: "absent" }];
}

/** A Studio space (aws-native): remote access from a local IDE (`spaceSettings.remoteAccess`: ENABLED or DISABLED). */
export function space(props: Obj): Workload[] {
    const settings = read("camel", props, "SpaceSettings");
    const v = read("camel", settings, "RemoteAccess");
    const path = isOpaque(settings) ? "spaceSettings" : "spaceSettings.remoteAccess";
    const state: Isolation = isOpaque(settings) ? settings : isOpaque(v) ? v
        : v === undefined || v === null ? "absent" : typeof v === "string" && v.toUpperCase() === "ENABLED" ? "on" : "off";
    return [{ ...base("space", props), isolation: "absent", access: [{ how: "ide", path, state }] }];
}

/**
 * A HyperPod cluster (aws-native `Cluster`): its `vpcConfig`, and the `overrideVpcConfig` of each
 * instance group and restricted instance group. An override written without subnets is noted.
 */
export function cluster(props: Obj): Workload[] {
    const attachments: VpcAttachment[] = [];
    const top = vpcOf("camel", props, "");
    if (top) {
        attachments.push(top);
    }
    const overridesWithoutSubnets: string[] = [];
    for (const key of ["InstanceGroups", "RestrictedInstanceGroups"]) {
        const list = readList("camel", props, key);
        if (!Array.isArray(list)) {
            continue;
        }
        list.forEach((g, i) => {
            const path = `${at("camel", "", key)}[${i}]`;
            const o = vpcOf("camel", g, path, "OverrideVpcConfig");
            if (!o) {
                return;
            }
            attachments.push(o);
            if (Array.isArray(o.subnets) && o.subnets.every(s => typeof s === "string" && s.trim() === "")) {
                overridesWithoutSubnets.push(o.path);
            }
        });
    }
    return [{ ...base("cluster", props), isolation: "absent", attachments, overridesWithoutSubnets }];
}
