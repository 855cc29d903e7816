import { rule } from "../frame/frame";
import { checkIsolation } from "../frame/isolation";
import { remediateIsolation } from "../frame/remediation";

export default rule({
    name: "sagemaker-training-network-isolation",
    subject: { workloads: ["training", "tuning"], noun: "training or tuning jobs", isolation: true },
    description: "SageMaker training jobs and every training job definition of a hyperparameter tuning job run " +
        "with network isolation (EnableNetworkIsolation), so training code cannot send data out.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["sagemaker", "network-isolation", "data-exfiltration", "training"],
    remediationSteps: "Set enableNetworkIsolation: true on the training job or on each tuning job definition " +
        "(EnableNetworkIsolation: true in a pipeline Training/Tuning step or a Step Functions task). SageMaker " +
        "still downloads input channels and uploads the model; pass code as an input channel rather than " +
        "having the container fetch it.",
    check: checkIsolation,
    remediate: remediateIsolation,
});
