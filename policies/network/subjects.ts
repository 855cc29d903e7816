/**
 * What the VPC endpoints policy judges: every VPC-attached SageMaker model or job, every notebook
 * instance without direct internet access and every VpcOnly Studio domain of the stack, each with
 * the services it needs an endpoint for.
 */
import { PolicyResource } from "@pulumi/policy";
import { asString, classify, isOpaque, Opaque, SEALED, UNKNOWN, unreadable } from "../values/values";
import { noteMessage } from "../values/wire";
import { extract, KIND_NOUNS, VpcAttachment, WORKLOAD_TYPES } from "../workloads";
import { props } from "./links";
import { workloadRegion } from "./names";
import { RegionHint } from "./reachability";
import { Settings } from "./settings";

/** One thing of a resource that is in the VPC's subnets: a model or job, a notebook instance, a Studio domain. */
export interface Attached {
    /** How messages name it: `the model at vpcConfig`. */
    what: string;
    vpc: VpcAttachment;
    /** The services it needs. */
    services: string[];
    /** Services it needs unless it is isolated, which cannot be read yet (`path`: where isolation is; `sealed`: a secret). */
    unlessIsolated?: { services: string[]; path: string; sealed: boolean };
    /** The Region its own values name (ARNs, image URIs, its provider), read only when its subnets do not say. */
    region: RegionHint;
}

/** The Region hint of resource `r` (./names workloadRegion, at most once). */
function regionHint(r: PolicyResource): RegionHint {
    let found = false;
    let region: string | undefined;
    return () => {
        if (!found) {
            found = true;
            region = workloadRegion(r);
        }
        return region;
    };
}

/** A resource the policy judges: its attached workloads, and notes on what it cannot read. */
export interface Subject {
    r: PolicyResource;
    attached: Attached[];
    notes: string[];
}

/**
 * Resources that are in a VPC's subnets of their own: a notebook instance without direct internet
 * access (`subnetId`), a Studio domain in VpcOnly mode (`subnetIds`). `setting` must be `value`
 * (AWS's defaults, "Enabled" and "PublicInternetOnly", send their traffic through SageMaker's own
 * VPC); `services` says which list of services they need.
 */
interface PrivateKind {
    noun: string;
    setting: string;
    value: string;
    subnets: string;
    /** `subnets` is a list (else one id). */
    list: boolean;
    services: "notebooks" | "studio";
}
const NOTEBOOK: PrivateKind = { noun: "notebook instance", setting: "directInternetAccess", value: "Disabled", subnets: "subnetId", list: false, services: "notebooks" };
const DOMAIN: PrivateKind = { noun: "Studio domain", setting: "appNetworkAccessType", value: "VpcOnly", subnets: "subnetIds", list: true, services: "studio" };
const PRIVATE_KINDS = new Map<string, PrivateKind>([
    ["aws:sagemaker/notebookInstance:NotebookInstance", NOTEBOOK],
    ["aws-native:sagemaker:NotebookInstance", NOTEBOOK],
    ["aws:sagemaker/domain:Domain", DOMAIN],
    ["aws-native:sagemaker:Domain", DOMAIN],
]);

/** Whether resources of `type` may be judged (a model or job's type, a notebook instance, a Studio domain). */
export function mayBeJudged(type: string): boolean {
    return WORKLOAD_TYPES.has(type) || PRIVATE_KINDS.has(type);
}

/**
 * A notebook instance or Studio domain in its VPC's subnets, with its services; a note while its
 * setting cannot be read; nothing when it is not in a VPC of its own (or declares no subnets).
 */
function privateResource(r: PolicyResource, kind: PrivateKind, settings: Settings, region: RegionHint): Attached | string | undefined {
    const p = props(r);
    const raw = classify("camel", p[kind.subnets]);
    let subnets: VpcAttachment["subnets"];
    if (Array.isArray(raw)) {
        subnets = raw.map(v => asString(classify("camel", v))).filter((v): v is string | Opaque => v !== undefined);
    } else {
        const one = asString(raw);
        if (one === undefined) {
            return undefined;
        }
        // One subnet id is a list of one: its dependency record then names exactly that subnet.
        subnets = isOpaque(one) && kind.list ? one : [one];
    }
    const setting = classify("camel", p[kind.setting]);
    const what = `the ${kind.noun} at ${kind.subnets}`;
    if (isOpaque(setting)) {
        return setting === UNKNOWN
            ? noteMessage(true, `${r.name}: ${what} is checked for VPC endpoints when ${kind.setting} is known.`)
            : noteMessage(false, `${r.name}: ${kind.setting} of ${what} is a secret that could not be decrypted, so its VPC endpoints cannot be checked.`);
    }
    if (setting !== kind.value) {
        return undefined;
    }
    return { what, vpc: { path: kind.subnets, subnets }, services: settings[kind.services], region };
}

/** What the policy judges of one resource; undefined when nothing. */
export function subject(r: PolicyResource, settings: Settings): Subject | undefined {
    const attached: Attached[] = [];
    const notes: string[] = [];
    const region = regionHint(r); // searched at most once, and only if a subnet's Region is not known
    if (WORKLOAD_TYPES.has(r.type)) {
        // The last reader of the stack's documents: what the resource policies parsed is found, nothing more is kept.
        for (const w of extract(r.type, r.props, false).workloads) {
            // A HyperPod cluster: each VPC attachment (the cluster's and each instance group's
            // override); it runs code of its own, unisolated, so it needs what containers without
            // isolation need (AWS's HyperPod networking page names S3).
            for (const a of w.attachments ?? []) {
                attached.push({ what: `the ${KIND_NOUNS[w.kind]} at ${a.path}`, vpc: a, services: settings.unisolated, region });
            }
            if (!w.vpc) {
                continue;
            }
            // Isolated: the container makes no call; not isolated (or set at run time): it may call any service.
            const unread = unreadable(w.isolation) !== undefined;
            attached.push({
                what: `the ${KIND_NOUNS[w.kind]} at ${w.vpc.path}`, vpc: w.vpc,
                services: unread || w.isolation === "on" ? settings.required : settings.unisolated,
                unlessIsolated: unread ? { services: settings.withoutIsolation, path: w.isolationPath, sealed: w.isolation === SEALED } : undefined,
                region,
            });
        }
    }
    const kind = PRIVATE_KINDS.get(r.type);
    const a = kind ? privateResource(r, kind, settings, region) : undefined;
    if (typeof a === "string") {
        notes.push(a);
    } else if (a) {
        attached.push(a);
    }
    return attached.length === 0 && notes.length === 0 ? undefined : { r, attached, notes };
}
