/**
 * How AWS names things the network layer reads: endpoint service names, Regions (of a resource's
 * own `region`, ARN, availability zone, image URI, or its provider), and the private hosted zone
 * name a service's endpoint answers to (AWS's centralised endpoint pattern).
 */
import { PolicyResource } from "@pulumi/policy";
import { isObj, unwrap } from "../values/values";
import { known, props } from "./links";

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

export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ARN_REGION = /^arn:[a-z-]+:[a-z0-9-]+:([a-z0-9-]+):/;
const ZONE_REGION = /^([a-z]{2}(?:-[a-z]+)+-\d+)(?:[a-z]|-[a-z0-9-]+)$/;
/** An ECR image URI's region: `ACCOUNT.dkr.ecr.REGION.DOMAIN/…`. */
const IMAGE_REGION = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\./;

/** An endpoint service name's region and service (`[PREFIX.]com.amazonaws.REGION.SERVICE`, `aws.sagemaker.REGION.SERVICE`). */
export function parseServiceName(name: string): { region: string; service: string } | undefined {
    const m = SERVICE_NAME.exec(name.startsWith(SAGEMAKER_PREFIX) ? `com.amazonaws.${name.slice(SAGEMAKER_PREFIX.length)}` : name);
    return m ? { region: m[1], service: m[2] } : undefined;
}

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

/** The region of a resource's provider (its `region` setting), when the engine sends it. */
export function providerRegion(r: PolicyResource): string | undefined {
    const p = r.provider ? unwrap(r.provider.props) : undefined;
    const region = isObj(p) ? p["region"] : undefined;
    return known(region) && REGION.test(region) ? region : undefined;
}

/** How many of a workload's values workloadRegion looks at, at most. */
const VALUES = 500;

/**
 * The region a workload names through its own values: its ARN-valued or image-URI-valued
 * properties, searched breadth-first (a bounded number of values, so linear in its size).
 */
export function workloadRegion(r: PolicyResource): string | undefined {
    const own = regionOf(r) ?? providerRegion(r);
    if (own) {
        return own;
    }
    const queue: unknown[] = [props(r)];
    // At most VALUES values are looked at, and no more are queued (a spread of a huge list would throw).
    const add = (vs: Iterable<unknown>) => {
        for (const x of vs) {
            if (queue.length >= VALUES) {
                return;
            }
            queue.push(x);
        }
    };
    for (let i = 0; i < queue.length; i++) {
        const v = queue[i];
        if (typeof v === "string") {
            const m = (v.startsWith("arn:") ? ARN_REGION.exec(v) : IMAGE_REGION.exec(v))?.[1];
            if (m && REGION.test(m)) {
                return m;
            }
        } else if (Array.isArray(v)) {
            add(v as unknown[]);
        } else if (isObj(v)) {
            add(Object.values(v));
        }
    }
    return undefined;
}

/**
 * How messages name a service's endpoint: `com.amazonaws.us-east-1.s3` (`aws.sagemaker.us-east-1.notebook`
 * for SageMaker's notebook and studio endpoints), or `<region>` when the stack does not say.
 */
export function serviceName(service: string, region: string | undefined): string {
    return `${SAGEMAKER_SERVICES.has(service) ? SAGEMAKER_PREFIX : "com.amazonaws."}${region ?? "<region>"}.${service}`;
}

/**
 * Whether a private hosted zone's name is the DNS name a service's endpoint answers to in
 * `region` (any region when not known): `sagemaker.api` → `api.sagemaker.REGION.amazonaws.com`,
 * `s3` → `s3.REGION.amazonaws.com`; `notebook`/`studio` → `notebook.REGION.sagemaker.aws`.
 */
export function zoneServes(zone: string, service: string, region: string | undefined): boolean {
    const name = zone.endsWith(".") ? zone.slice(0, -1).toLowerCase() : zone.toLowerCase();
    const parts = service.split(".");
    const head = SAGEMAKER_SERVICES.has(service) ? `${service}.` : `${[...parts.slice(1).reverse(), parts[0]].join(".")}.`;
    const tail = SAGEMAKER_SERVICES.has(service) ? ".sagemaker.aws" : ".amazonaws.com";
    if (!name.startsWith(head) || !name.endsWith(tail) || name.length <= head.length + tail.length) {
        return false;
    }
    const zoneRegion = name.slice(head.length, name.length - tail.length);
    return region === undefined ? REGION.test(zoneRegion) : zoneRegion === region;
}
