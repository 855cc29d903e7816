/**
 * The VPC endpoints policy's settings: their schema (what Pulumi and the check command validate)
 * and how the policy reads them. Service names are checked against the services AWS offers VPC
 * endpoints for (../facts/endpoint-services), so a typo fails the configuration.
 */
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { ENDPOINT_SERVICES } from "../facts/endpoint-services";
import { NetworkSettings } from "./reachability";

/**
 * A service as these settings name it: its short name, the part after `com.amazonaws.<region>.`
 * (`s3`, `sagemaker.api`), one AWS offers VPC endpoints for. A full endpoint service name is
 * refused rather than doubled into `com.amazonaws.<region>.com.amazonaws...`.
 */
const SERVICE = {
    type: "string" as const,
    enum: [...ENDPOINT_SERVICES],
    description: "A service's short name, the part after com.amazonaws.<region>. (e.g. s3, sagemaker.api), not its full endpoint service name; one AWS offers VPC endpoints for.",
};
/** What AWS says a notebook instance without direct internet access and a VpcOnly Studio domain need: the SageMaker API and runtime, and S3. */
export const STUDIO_AND_NOTEBOOK_SERVICES = ["sagemaker.api", "sagemaker.runtime", "s3"];

/** The settings that list services (checked against ENDPOINT_SERVICES). */
export const SERVICE_SETTINGS = ["requiredServices", "requiredServicesWithoutIsolation", "requiredServicesForNotebooks", "requiredServicesForStudio"];

export const SETTINGS: Record<string, PolicyConfigJSONSchema> = {
    requiredServices: {
        type: "array",
        items: SERVICE,
        uniqueItems: true,
        default: ["s3"],
        description: "Services (the part after com.amazonaws.<region>.) every VPC-attached model or job needs an endpoint for.",
    },
    requiredServicesWithoutIsolation: {
        type: "array",
        items: SERVICE,
        uniqueItems: true,
        default: [],
        description: "More services needed by models and jobs whose network isolation is not on: their containers " +
            "call AWS services through the VPC (an isolated container makes no network call).",
    },
    requiredServicesForNotebooks: {
        type: "array",
        items: SERVICE,
        uniqueItems: true,
        default: STUDIO_AND_NOTEBOOK_SERVICES,
        description: "Services a notebook instance without direct internet access (directInternetAccess \"Disabled\") " +
            "needs an endpoint for in its subnet: AWS names the SageMaker API and runtime, and S3 for data. " +
            "\"notebook\" stands for aws.sagemaker.<region>.notebook.",
    },
    requiredServicesForStudio: {
        type: "array",
        items: SERVICE,
        uniqueItems: true,
        default: STUDIO_AND_NOTEBOOK_SERVICES,
        description: "Services a VpcOnly Studio domain needs an endpoint for in its subnets: AWS names the SageMaker " +
            "API and runtime and S3, and for some features servicecatalog (Projects), sts and logs (remote training " +
            "from the SageMaker Python SDK). \"studio\" stands for aws.sagemaker.<region>.studio.",
    },
    natCounts: {
        type: "boolean",
        default: false,
        description: "Accept a NAT gateway instead of an endpoint: a subnet whose route table sends traffic for " +
            "anywhere (0.0.0.0/0) to a NAT gateway reaches the services' public endpoints that way.",
    },
    unresolvedVpc: {
        type: "string",
        enum: ["report", "ignore"],
        default: "report",
        description: "What to do when a workload's subnets, their VPC or their route tables are not declared in " +
            "this stack: report that its endpoints cannot be verified, or ignore it (networks managed in another stack).",
    },
    centralizedEndpoints: {
        type: "array",
        items: { type: "string", pattern: "^(\\*|tgw-[0-9a-f]+|core-network-[0-9a-f]+|arn:[a-z-]+:networkmanager::[0-9]{12}:core-network/core-network-[0-9a-f]+)$", description: "A transit gateway id (tgw-...), a Cloud WAN core network id or ARN, or \"*\" for any." },
        uniqueItems: true,
        default: [],
        description: "Hubs whose endpoints serve the required services (AWS's centralised endpoint pattern): transit " +
            "gateway ids (or Cloud WAN core network ids), or [\"*\"] for any. A subnet whose default route goes to one passes.",
    },
    externalSubnets: {
        type: "array",
        items: { type: "string", pattern: "^subnet-[0-9a-f]+$", description: "A subnet id (subnet-...)." },
        uniqueItems: true,
        default: [],
        description: "Subnets of VPCs managed elsewhere (another stack) whose endpoints the platform team vouches for: " +
            "workloads only in these subnets pass; other subnets not declared here follow unresolvedVpc.",
    },
};

function strings(v: unknown, dflt: readonly string[]): string[] {
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [...dflt];
}

/** The settings as the policy reads them (Pulumi has applied the defaults; these defaults are for direct calls). */
export interface Settings extends NetworkSettings {
    required: string[];
    withoutIsolation: string[];
    /** `required` and `withoutIsolation`: what a workload without network isolation needs. */
    unisolated: string[];
    notebooks: string[];
    studio: string[];
    /** Report subnets, VPCs and route tables declared elsewhere as "cannot be verified". */
    reportUnresolved: boolean;
}

export function readSettings(config: Record<string, unknown>): Settings {
    const required = strings(config["requiredServices"], ["s3"]);
    const withoutIsolation = strings(config["requiredServicesWithoutIsolation"], []).filter(s => !required.includes(s));
    return {
        required,
        withoutIsolation,
        unisolated: [...required, ...withoutIsolation],
        notebooks: strings(config["requiredServicesForNotebooks"], STUDIO_AND_NOTEBOOK_SERVICES),
        studio: strings(config["requiredServicesForStudio"], STUDIO_AND_NOTEBOOK_SERVICES),
        natCounts: config["natCounts"] === true,
        reportUnresolved: config["unresolvedVpc"] !== "ignore",
        centralizedEndpoints: strings(config["centralizedEndpoints"], []),
        externalSubnets: strings(config["externalSubnets"], []),
    };
}
