import { Finding, note, rule, WorkloadContext } from "../frame/frame";
import { exemptionSnippet } from "../frame/exemptions";
import { unreadableFindings } from "../frame/isolation";
import { DYNAMIC, unreadable } from "../values/values";
import { unreadableNote } from "../values/wire";
import { Access } from "../workloads";

/** What each way in allows, and how to turn it off. */
const WAYS: Readonly<Record<Access["how"], { what: string; allows: string; off: string }>> = {
    ssm: {
        what: "SSM access to the variant's instances",
        allows: "opens AWS Systems Manager sessions into the endpoint's running containers, a way in (and out) that " +
            "network isolation does not close",
        off: "Set it to false or remove it, then update the endpoint to the new configuration (UpdateEndpoint).",
    },
    debug: {
        what: "remote debugging of the training job",
        allows: "lets people open AWS Systems Manager sessions into the training container while it runs, a way in " +
            "(and out) that network isolation does not close",
        off: "Set it to false or remove RemoteDebugConfig.",
    },
    ide: {
        what: "remote access to the Studio space",
        allows: "lets a local IDE (VS Code and others) connect to the space's apps from outside Studio",
        off: "Set it to DISABLED or remove it.",
    },
};

function findings(name: string, a: Access): Finding[] {
    const way = WAYS[a.how];
    const where = `${name}: ${a.path}`;
    const why = unreadable(a.state);
    if (why) {
        return [note(unreadableNote(why, where, `, so whether ${way.what} is on cannot be checked.`))];
    }
    const accept = ` To accept it, exempt the resource in this policy's configuration: ${exemptionSnippet(name)}.`;
    if (a.state === DYNAMIC) {
        return [{ message: `${where} is set at run time, so ${way.what} cannot be guaranteed off. Write it into the definition as false.${accept}` }];
    }
    if (a.state === "on") {
        return [{ message: `${where} turns on ${way.what}: it ${way.allows}. ${way.off}${accept}` }];
    }
    return [];
}

function check({ name, subject, workloads, extraction }: WorkloadContext): Finding[] {
    return [
        ...workloads.flatMap(w => (w.access ?? []).flatMap(a => findings(name, a))),
        ...unreadableFindings(name, extraction.unreadable, subject.noun),
    ];
}

export default rule({
    name: "sagemaker-remote-access",
    subject: { workloads: ["training", "endpoint", "space"], noun: "training jobs, endpoint configurations or Studio spaces", records: ["space"] },
    description: "No remote way into SageMaker containers: no SSM access on an endpoint's production or shadow variants " +
        "(EnableSSMAccess), no remote debugging of training jobs (RemoteDebugConfig.EnableRemoteDebug), no remote IDE " +
        "access to Studio spaces (SpaceSettings.RemoteAccess). Each is a way in and out that network isolation does not close.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["sagemaker", "remote-access", "ssm", "data-exfiltration"],
    remediationSteps: "Remove enableSsmAccess from production and shadow variants (or set it to false) and update the " +
        "endpoint; remove remoteDebugConfig from training jobs (RemoteDebugConfig in pipeline Training steps and Step " +
        "Functions createTrainingJob tasks); set spaceSettings.remoteAccess to DISABLED on Studio spaces. Where the access " +
        "is wanted, exempt the resource with a reason and an expiry date.",
    check,
});
