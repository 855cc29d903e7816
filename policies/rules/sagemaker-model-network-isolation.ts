import { ResourceValidationArgs } from "@pulumi/policy";
import { Finding, note, notApplicable, rule, Verdict, WorkloadContext, WorkloadSubject } from "../frame/frame";
import { isolationFindings, unreadableFindings } from "../frame/isolation";
import { remediateIsolation } from "../frame/remediation";
import { unreadable } from "../values/values";
import { unreadableNote } from "../values/wire";
import { Workload } from "../workloads";

/** Why an inference component is not judged on its own (the stack policy notes one whose endpoint configuration is not declared). */
const COMPONENT = "An inference component runs with the network isolation of its endpoint's configuration " +
    "(enableNetworkIsolation): judged through the endpoint configuration where the stack declares it, noted by the stack policy otherwise";
/** Why an endpoint configuration that hosts only models is not judged. */
const MODELS_ONLY = "The endpoint configuration hosts no inference component (every variant names a model, judged on the model)";

/**
 * An endpoint configuration that hosts inference components (a variant without a model name):
 * its own EnableNetworkIsolation isolates their containers. @pulumi/aws's EndpointConfiguration
 * has no such property, so inference components on it always run with network access.
 */
function endpointFindings(name: string, w: Workload): Finding[] {
    const where = `${name}: ${w.isolationPath}`;
    const hosts = unreadable(w.hostsComponents);
    if (w.isolation === "on") {
        return [];
    }
    if (hosts) {
        return [note(unreadableNote(hosts, `${name}: ${w.componentsPath ?? "productionVariants"}`, ", so whether the endpoint configuration hosts " +
            "inference components (and needs enableNetworkIsolation) cannot be checked."))];
    }
    const what = `the inference components the endpoint configuration hosts (${w.componentsPath} names no model)`;
    if (w.isolationUnsupported) {
        return [{ message: `${name}: ${w.componentsPath} names no model, so the endpoint configuration hosts inference components; ` +
            "@pulumi/aws's EndpointConfiguration has no enableNetworkIsolation, so they run with network access. Declare it " +
            "as aws-native:sagemaker:EndpointConfig with enableNetworkIsolation: true." }];
    }
    const why = unreadable(w.isolation);
    if (why) {
        return [note(unreadableNote(why, where, `, so network isolation of ${what} cannot be checked.`))];
    }
    const state = w.isolation === "absent" ? "is not set" : "is not true";
    const dflt = w.isolation === "absent" ? " (AWS defaults to false)" : "";
    return [{ message: `${where} ${state}, so ${what} run with network access${dflt}. Set it to true.` }];
}

function check({ name, subject, workloads, extraction }: WorkloadContext): Verdict {
    const models = workloads.filter(w => w.kind === "model");
    const endpoints = workloads.filter(w => w.kind === "endpoint" && w.hostsComponents !== false);
    if (models.length === 0 && endpoints.length === 0 && extraction.unreadable.length === 0) {
        return notApplicable(workloads.some(w => w.kind === "component") ? COMPONENT : MODELS_ONLY);
    }
    return [
        ...isolationFindings(name, models),
        ...endpoints.flatMap(w => endpointFindings(name, w)),
        ...unreadableFindings(name, extraction.unreadable, subject.noun),
    ];
}

export default rule({
    name: "sagemaker-model-network-isolation",
    subject: { workloads: ["model", "endpoint", "component"], noun: "models", isolation: true },
    description: "SageMaker models, and endpoint configurations that host inference components, run with network " +
        "isolation (EnableNetworkIsolation), so a compromised or malicious inference container cannot send data to " +
        "the internet or other AWS services.",
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
        "everything it needs (weights, code, licences) into the image or model.tar.gz first. For inference " +
        "components, set enableNetworkIsolation: true on the endpoint configuration (aws-native EndpointConfig; " +
        "@pulumi/aws's EndpointConfiguration cannot set it).",
    check,
    // Models only: an endpoint configuration is replaced when its isolation changes, and @pulumi/aws's has no such property.
    remediate: (args: ResourceValidationArgs, subject: WorkloadSubject) => remediateIsolation(args, { ...subject, workloads: ["model"] }),
});
