import { rule } from "../frame/frame";
import { checkIsolation } from "../frame/isolation";
import { remediateIsolation } from "../frame/remediation";

export default rule({
    name: "sagemaker-processing-network-isolation",
    subject: { workloads: ["processing", "monitoring"], noun: "processing or monitoring jobs", isolation: true },
    description: "SageMaker processing jobs and model-monitoring jobs (data quality, model quality, bias, " +
        "explainability) run with network isolation (NetworkConfig.EnableNetworkIsolation).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["sagemaker", "network-isolation", "data-exfiltration", "processing", "monitoring"],
    framework: {
        name: "AWS Config managed rules",
        version: "2024",
        reference: "SAGEMAKER_DATA_QUALITY_JOB_ISOLATION, SAGEMAKER_MODEL_QUALITY_JOB_DEFINITION_ISOLATION, " +
            "SAGEMAKER_MODEL_BIAS_JOB_ISOLATION, SAGEMAKER_MODEL_EXPLAINABILITY_JOB_NETWORK_ISOLATION",
        specification: "Monitoring job definitions have NetworkConfig.EnableNetworkIsolation set to true.",
    },
    remediationSteps: "Set networkConfig.enableNetworkIsolation: true (NetworkConfig.EnableNetworkIsolation in a " +
        "pipeline Processing step or a Step Functions createProcessingJob task). Inputs and outputs still move " +
        "through SageMaker; the container itself gets no network access.",
    check: checkIsolation,
    remediate: remediateIsolation,
});
