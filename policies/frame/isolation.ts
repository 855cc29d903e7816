/** The check the isolation rules share: every workload of their kinds runs with network isolation. */
import { KIND_NOUNS, UnreadablePart, Workload } from "../workloads";
import { unreadableNote } from "../values/wire";
import { blockers, explain } from "./blockers";
import { exemptionSnippet } from "./exemptions";
import type { WorkloadContext } from "./frame";
import { Finding, note } from "./verdict";
import { DYNAMIC, unreadable } from "../values/values";

/**
 * For a workload that is not isolated: what turning isolation on would break, if anything, and
 * the way to accept that instead (an exemption; remediation leaves such a workload alone).
 */
function caveat(name: string, w: Workload): string {
    const b = blockers(w.containers);
    return b.length === 0 ? "" : ` Before you do: ${explain(b[0])}. To keep it off, exempt the resource in this policy's ` +
        `configuration: ${exemptionSnippet(name)}.`;
}

export function isolationFindings(name: string, workloads: Workload[]): Finding[] {
    const out: Finding[] = [];
    for (const w of workloads) {
        const noun = KIND_NOUNS[w.kind];
        const where = `${name}: ${w.isolationPath}`;
        const why = unreadable(w.isolation);
        if (why) {
            out.push(note(unreadableNote(why, where, `, so network isolation of the ${noun} cannot be checked.`)));
        } else if (w.isolation === DYNAMIC) {
            out.push({ message: `${where} is set at run time, so network isolation of the ${noun} cannot be guaranteed. Set it to the literal true.` });
        } else if (w.isolation === "absent") {
            out.push({ message: `${where} is not set, so the ${noun} runs with network access (AWS defaults to false). Set it to true.${caveat(name, w)}` });
        } else if (w.isolation === "off") {
            out.push({ message: `${where} is not true, so the ${noun} runs with network access. Set it to true.${caveat(name, w)}` });
        }
    }
    return out;
}

/** Notes for definitions that declare workloads but cannot be read. */
export function unreadableFindings(name: string, parts: UnreadablePart[], noun: string): Finding[] {
    return parts.map(u => note(unreadableNote(u.why, `${name}: ${u.path}`, `, so the ${noun} it declares cannot be checked.`)));
}

/** The isolation rules' check: findings for each workload of the subject, and for each part that cannot be read. */
export function checkIsolation({ name, subject, workloads, extraction }: WorkloadContext): Finding[] {
    return [...isolationFindings(name, workloads), ...unreadableFindings(name, extraction.unreadable, subject.noun)];
}
