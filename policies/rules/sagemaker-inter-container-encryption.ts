import { Finding, note, rule, WorkloadContext } from "../frame/frame";
import { unreadableFindings } from "../frame/isolation";
import { DYNAMIC, unreadable } from "../values/values";
import { noteMessage, unreadableNote } from "../values/wire";
import { JOB_KINDS, KIND_NOUNS } from "../workloads";

/**
 * Every job sets EnableInterContainerTrafficEncryption, read as the isolation rules read
 * EnableNetworkIsolation. A training job (or tuning definition) on one instance sends nothing
 * between instances; AWS says encryption does not affect it: a note, not a violation.
 */
function check({ name, subject, workloads, extraction }: WorkloadContext): Finding[] {
    const out: Finding[] = [];
    for (const w of workloads) {
        if (w.encryption === undefined || w.encryptionPath === undefined || w.encryption === "on") {
            continue;
        }
        const noun = KIND_NOUNS[w.kind];
        const where = `${name}: ${w.encryptionPath}`;
        const why = unreadable(w.encryption);
        if (why) {
            out.push(note(unreadableNote(why, where, `, so inter-container traffic encryption of the ${noun} cannot be checked.`)));
        } else if (w.encryption === DYNAMIC) {
            out.push({ message: `${where} is set at run time, so the ${noun}'s traffic between its instances cannot be guaranteed to be encrypted. Set it to the literal true.` });
        } else if (w.singleInstance) {
            // A note (the check command reads it as one): nothing to encrypt yet, nothing to fail.
            out.push(note(noteMessage(false, `${where} is not true; the ${noun} runs on one instance (ResourceConfig.InstanceCount 1), ` +
                "where AWS says inter-container traffic encryption has no effect. Set it to true before running it on more instances.")));
        } else {
            const state = w.encryption === "absent" ? "is not set (AWS defaults to false)" : "is not true";
            out.push({ message: `${where} ${state}, so the data the ${noun}'s instances exchange crosses the network unencrypted. ` +
                "Set it to true; the job's security groups must allow UDP 500 and IP protocol 50 (ESP) between themselves." });
        }
    }
    return [...out, ...unreadableFindings(name, extraction.unreadable, subject.noun)];
}

export default rule({
    name: "sagemaker-inter-container-encryption",
    subject: { workloads: JOB_KINDS, noun: "training, tuning, processing or monitoring jobs" },
    description: "SageMaker training, tuning, processing and model-monitoring jobs encrypt the traffic between their " +
        "instances (EnableInterContainerTrafficEncryption), so data exchanged in distributed jobs does not cross the " +
        "network in clear.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["sagemaker", "encryption-in-transit", "network", "training", "processing", "monitoring"],
    framework: {
        name: "AWS Foundational Security Best Practices",
        version: "1.0.0",
        reference: "SageMaker.9, SageMaker.10, SageMaker.13, SageMaker.15, SageMaker.22",
        specification: "Data quality, model explainability, model quality and model bias job definitions and monitoring " +
            "schedules should have inter-container traffic encryption enabled (AWS Config " +
            "SAGEMAKER_DATA_QUALITY_JOB_ENCRYPT_IN_TRANSIT and the others); this policy asks the same of training, " +
            "tuning and processing jobs.",
    },
    remediationSteps: "Set enableInterContainerTrafficEncryption: true on the training job or each tuning job definition " +
        "(networkConfig.enableInterContainerTrafficEncryption on processing jobs, monitoring job definitions and a " +
        "schedule's monitoringJobDefinition; EnableInterContainerTrafficEncryption in pipeline steps and Step Functions " +
        "tasks). In a VPC, allow UDP 500 and IP protocol 50 (ESP) inbound and outbound within the job's security group. " +
        "Distributed training may take longer.",
    check,
});
