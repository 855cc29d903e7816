import { Policies } from "@pulumi/policy";
import { frameworkIsolationCompatibility } from "./frameworkCompatibility";
import { marketplaceNetworkIsolation } from "./marketplaceIsolation";
import { modelNetworkIsolation } from "./modelIsolation";
import { processingNetworkIsolation } from "./processingIsolation";
import { trainingNetworkIsolation } from "./trainingIsolation";
import { vpcEndpoints } from "./vpcEndpoints";

export const PACK_NAME = "sagemaker-network-isolation";

/** The pack's policies, in the order Pulumi shows them. */
export const policies: Policies = [
    modelNetworkIsolation,
    trainingNetworkIsolation,
    processingNetworkIsolation,
    marketplaceNetworkIsolation,
    frameworkIsolationCompatibility,
    vpcEndpoints,
];
