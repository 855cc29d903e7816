import { rule } from "../frame/frame";
import { checkIsolation } from "../frame/isolation";
import { remediateIsolation } from "../frame/remediation";

export default rule({
    name: "sagemaker-model-network-isolation",
    subject: { workloads: ["model"], noun: "models", isolation: true },
    description: "SageMaker models run with network isolation (EnableNetworkIsolation), so a compromised or " +
        "malicious inference container cannot send data to the internet or other AWS services.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["sagemaker", "network-isolation", "data-exfiltration"],
    framework: {
        name: "AWS Foundational Security Best Practices",
        version: "1.0.0",
        reference: "SageMaker.5",
        specification: "SageMaker models should have network isolation enabled " +
            "(AWS Config SAGEMAKER_MODEL_ISOLATION_ENABLED, Checkov CKV_AWS_370).",
    },
    remediationSteps: "Set enableNetworkIsolation: true on the model (EnableNetworkIsolation: true in a pipeline " +
        "Model step or a Step Functions createModel task). The container then has no network access: package " +
        "everything it needs (weights, code, licences) into the image or model.tar.gz first.",
    check: checkIsolation,
    remediate: remediateIsolation,
});
