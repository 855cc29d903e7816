/**
 * Which of the catalogue's policies a resource is the subject of, for tests that name the
 * policies they are about and require every other one that cannot judge the resource to say
 * "not applicable". A new policy over the same type is neither named nor excluded: it may
 * answer anything, so adding one leaves such tests passing.
 */
import { RULES } from "../policies/catalogue/index";
import { extract, WORKLOAD_TYPES } from "../policies/workloads";

/** The catalogue's resource policies enabled at their default levels, in the order reports list them. */
export const ENABLED_RESOURCE_POLICIES = RULES.filter(r => !("stack" in r.subject) && r.enforcementLevel !== "disabled").map(r => r.name);

/** The catalogue's policies that judge workloads (models and jobs, whatever resource declares them). */
export const WORKLOAD_POLICIES = RULES.filter(r => "workloads" in r.subject).map(r => r.name);

/**
 * The policies among `enabled` whose subject covers a resource of `type` with properties
 * `props`: its type (rules on resource types), or the kinds of workloads it declares (workload
 * rules; one it cannot read is covered by all of them). Every other policy must answer "not
 * applicable".
 */
export function covering(type: string, props: Record<string, unknown>, enabled: readonly string[] = ENABLED_RESOURCE_POLICIES): string[] {
    const extraction = WORKLOAD_TYPES.has(type) ? extract(type, props) : { workloads: [], unreadable: [] };
    const kinds = new Set(extraction.workloads.map(w => w.kind));
    return RULES.filter(r => enabled.includes(r.name)).filter(r =>
        "types" in r.subject ? r.subject.types.includes(type)
            : "workloads" in r.subject ? extraction.unreadable.length > 0 || r.subject.workloads.some(k => kinds.has(k)) : false)
        .map(r => r.name);
}

/** The policies among `enabled` that cannot judge the resource: each must answer "not applicable". */
export function notCovering(type: string, props: Record<string, unknown>, enabled: readonly string[] = ENABLED_RESOURCE_POLICIES): string[] {
    const cover = covering(type, props, enabled);
    return enabled.filter(p => !cover.includes(p));
}
