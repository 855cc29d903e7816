/** The rule the three isolation policies share: every workload of their kinds is isolated. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { Kind, KIND_NOUNS, Unreadable, Workload } from "../workloads";
import { blockers, explain } from "./blockers";
import { applyExemptions, exemptionsSchema } from "./exemptions";
import { Finding, Meta, notApplicable, resourcePolicy, unreadable, unreadableNote } from "./policy";
import { remediateIsolation } from "./remediation";

/** For a workload that is not isolated: what turning isolation on would break, if anything. */
function caveat(w: Workload): string {
    const b = blockers(w.containers);
    return b.length === 0 ? "" : ` Before you do: ${explain(b[0])} (see sagemaker-framework-isolation-compatibility); remediation leaves it off for that reason.`;
}

export function isolationFindings(name: string, workloads: Workload[], kinds: readonly Kind[]): Finding[] {
    const out: Finding[] = [];
    for (const w of workloads) {
        if (!kinds.includes(w.kind)) {
            continue;
        }
        const noun = KIND_NOUNS[w.kind];
        const where = `${name}: ${w.isolationPath}`;
        switch (w.isolation) {
            case "on":
                break;
            case "unknown":
            case "sealed":
                out.push(unreadableNote(unreadable(w.isolation)!, where, `, so network isolation of the ${noun} cannot be checked.`));
                break;
            case "dynamic":
                out.push({ message: `${where} is set at run time, so network isolation of the ${noun} cannot be guaranteed. Set it to the literal true.` });
                break;
            case "absent":
                out.push({ message: `${where} is not set, so the ${noun} runs with network access (AWS defaults to false). Set it to true.${caveat(w)}` });
                break;
            case "off":
                out.push({ message: `${where} is not true, so the ${noun} runs with network access. Set it to true.${caveat(w)}` });
                break;
        }
    }
    return out;
}

/** Notes for definitions that declare workloads but cannot be read. */
export function unreadableFindings(name: string, parts: Unreadable[], noun: string): Finding[] {
    return parts.map(u => unreadableNote(u.why, `${name}: ${u.path}`, `, so the ${noun} it declares cannot be checked.`));
}

/**
 * An isolation policy over the workloads of `kinds`: exemptions configurable, remediation on
 * typed resources; `noun` names what the policy judges (in messages and not-applicable
 * reasons). A resource that declares none of its kinds is not applicable to it.
 */
export function isolationPolicy(meta: Omit<Meta, "configSchema">, kinds: readonly Kind[], noun: string): ResourceValidationPolicy {
    return resourcePolicy({
        ...meta,
        configSchema: { properties: { exemptions: exemptionsSchema } },
        remediateResource: remediateIsolation(kinds),
    }, ({ name, urn, extraction, config }) => {
        if (extraction.unreadable.length === 0 && !extraction.workloads.some(w => kinds.includes(w.kind))) {
            return notApplicable(`Declares no SageMaker ${noun}`);
        }
        return applyExemptions(config, name, urn, [
            ...isolationFindings(name, extraction.workloads, kinds),
            ...unreadableFindings(name, extraction.unreadable, noun),
        ]);
    });
}
