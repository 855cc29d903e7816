import { applyExemptions, exemptionsSchema } from "./lib/exemptions";
import { isolationFindings, unreadableFindings } from "./lib/isolation";
import { resourcePolicy } from "./lib/policy";
import { remediateIsolation } from "./lib/remediation";

export const trainingNetworkIsolation = resourcePolicy({
    name: "sagemaker-training-network-isolation",
    description: "SageMaker training jobs and every training job definition of a hyperparameter tuning job run " +
        "with network isolation (EnableNetworkIsolation), so training code cannot send data out.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["sagemaker", "network-isolation", "data-exfiltration", "training"],
    remediationSteps: "Set enableNetworkIsolation: true on the training job or on each tuning job definition " +
        "(EnableNetworkIsolation: true in a pipeline Training/Tuning step or a Step Functions task). SageMaker " +
        "still downloads input channels and uploads the model; pass code as an input channel rather than " +
        "having the container fetch it.",
    configSchema: { properties: { exemptions: exemptionsSchema } },
    remediateResource: remediateIsolation(["training", "tuning"]),
}, ({ name, urn, extraction, config }) => applyExemptions(config, name, urn, [
    ...isolationFindings(name, extraction.workloads, ["training", "tuning"]),
    ...unreadableFindings(name, extraction.unreadable, "training jobs"),
]));
