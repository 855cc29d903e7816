/**
 * Generators for the property-based tests: garbage and structurally valid property bags for
 * every resource type the pack reads (./resources), SageMaker Pipeline definitions and Step
 * Functions state machines (./documents) built from request shapes (./requests), values with
 * unknowns and secrets (./values), and, here, policy configurations.
 */
import fc from "fast-check";
import { plainJson } from "./values";

export * from "./documents";
export * from "./requests";
export * from "./resources";
export * from "./values";

type Rec = Record<string, unknown>;

// ---------------------------------------------------------------------------------------
// Configuration

const anyConfigValue = fc.oneof(plainJson, fc.constant(undefined));

export const resourceConfig: fc.Arbitrary<Rec | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
        weight: 2, arbitrary: fc.record({
            exemptions: fc.oneof(anyConfigValue, fc.array(fc.record({
                resource: fc.constantFrom("*", "r", "model-*", "urn:*", "a.b", "[", "(", "\\", "**", ".*"),
                reason: fc.constantFrom("approved", "", "x".repeat(1200)),
                expires: fc.constantFrom(undefined, "2000-01-01", "2999-12-31", "garbage"),
            }, { requiredKeys: ["resource", "reason"] }), { maxLength: 3 })),
            frameworks: fc.oneof(anyConfigValue, fc.subarray(["chainer", "pytorch", "scikit-learn", "rl", "tensorflow"])),
            marketplaceAccountIds: fc.oneof(anyConfigValue, fc.constant(["111122223333"])),
            ownAccountIds: fc.oneof(anyConfigValue, fc.constant(["123456789012"])),
            allowedSubnetIds: fc.oneof(anyConfigValue, fc.subarray(["subnet-0a", "subnet-0b", "subnet-ext"])),
        }, { requiredKeys: [] }),
    },
);

export const stackConfig: fc.Arbitrary<Rec | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
        weight: 2, arbitrary: fc.record({
            requiredServices: fc.oneof(anyConfigValue, fc.subarray(["s3", "sagemaker.api", "ecr.dkr", "x".repeat(400)])),
            requiredServicesWithoutIsolation: fc.oneof(anyConfigValue, fc.subarray(["s3", "sts", "logs"])),
            unresolvedVpc: fc.oneof(anyConfigValue, fc.constantFrom("report", "ignore")),
            natCounts: fc.oneof(anyConfigValue, fc.boolean()),
            requiredServicesForNotebooks: fc.oneof(anyConfigValue, fc.subarray(["s3", "sagemaker.api", "notebook"])),
            requiredServicesForStudio: fc.oneof(anyConfigValue, fc.subarray(["s3", "sagemaker.runtime", "studio", "sts"])),
        }, { requiredKeys: [] }),
    },
);
