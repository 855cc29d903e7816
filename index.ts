// The policy pack the Pulumi engine loads (compiled to bin/index.js, the package's `main`).
// Nothing here may write to stdout: the engine reads the gRPC port from its first line.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies/catalogue/index";

new PolicyPack(PACK_NAME, {
    description: "SageMaker network isolation: models and training, tuning, processing and monitoring jobs run " +
        "isolated; Marketplace resources always; managed framework containers that cannot run isolated are flagged; " +
        "VPC-attached workloads have their VPC endpoints.",
    policies,
});
