/**
 * CloudTrail calls of notebook instances and Studio domains (kinds whose settings Update calls
 * change) followed over all inputs (after eachEventOnce, ./merge.ts), one resource at a time
 * (same account, Region, kind, and name or id), in a deterministic order: by eventTime, then
 * Create before Update before Delete at the same instant (an update cannot come before its
 * create), then by position in the inputs (input, file, event).
 *
 * A successful Create starts an instance; each Update's parameters replace the members it names;
 * a Delete ends it; a later Create starts another. Each instance is judged once, on its settings
 * after its last call (that call's URN and time). An instance whose Create is not among the
 * records (its first call an Update) is an existing resource with partial settings: kept as a
 * record "partial", not judged (the defaults a policy would assume of its other settings are not
 * known) and not counted as created. Delete calls are never judged.
 */
import type { Obj } from "../../policies/values/values";
import { RECORD_KINDS, recordResource } from "./records";
import type { AwsRecord, StackInput, StackResource } from "./types";

const KIND_OF = new Map(RECORD_KINDS.map(k => [k.kind, k]));

const PHASE = { Create: 0, Update: 1, Delete: 2 } as const;

interface Call { s: number; i: number; t: number; phase: number }

/** A record and its resource (none: kept as a record only), or undefined: dropped. */
type Replacement = { record: AwsRecord; resource?: StackResource } | undefined;

export function latestSettings(stacks: StackInput[]): StackInput[] {
    const calls = new Map<string, Call[]>();
    stacks.forEach((st, s) => {
        if (st.records?.source !== "cloudtrail") {
            return;
        }
        st.records.records.forEach((rec, i) => {
            if (KIND_OF.get(rec.kind)?.updatable) {
                const key = `${rec.account}\n${rec.region}\n${rec.kind}\n${rec.resourceId ?? rec.name}`;
                let list = calls.get(key);
                if (!list) {
                    calls.set(key, list = []);
                }
                list.push({ s, i, t: Date.parse(rec.time ?? "") || 0, phase: PHASE[rec.call ?? "Create"] });
            }
        });
    });
    const changed = stacks.map(() => new Map<number, Replacement>());
    const at = (x: Call) => ({ record: stacks[x.s].records!.records[x.i], resource: stacks[x.s].resources[x.i] });
    for (const list of calls.values()) {
        if (list.every(x => x.phase === PHASE.Create)) {
            continue; // creates only: each its own resource, as read
        }
        list.sort((a, b) => a.t - b.t || a.phase - b.phase || a.s - b.s || a.i - b.i);
        let live: { settings?: Obj; created?: AwsRecord; last: Call; updated: boolean } | undefined;
        const end = () => {
            if (!live) {
                return;
            }
            const { record, resource } = at(live.last);
            const set = stacks[live.last.s].records!;
            changed[live.last.s].set(live.last.i, !live.updated ? { record, resource }
                : live.settings ? {
                    record: { ...record, name: live.created?.name || record.name, update: "latest" },
                    resource: recordResource(set, "cloudtrail", KIND_OF.get(record.kind)!, live.created?.name || resource.name, live.settings, record.eventId),
                }
                    : { record: { ...record, update: "partial" } });
            live = undefined;
        };
        for (const x of list) {
            const { record, resource } = at(x);
            changed[x.s].set(x.i, undefined);
            if (x.phase === PHASE.Create) {
                end();
                live = { settings: { ...resource.inputs }, created: record, last: x, updated: false };
            } else if (x.phase === PHASE.Update) {
                live = live ? { ...live, settings: live.settings && { ...live.settings, ...resource.inputs }, last: x, updated: true } : { last: x, updated: true };
            } else {
                end();
            }
        }
        end();
    }
    return stacks.map((st, s) => {
        const m = changed[s];
        if (m.size === 0) {
            return st;
        }
        const kept = st.records!.records.map((record, i): Replacement => m.has(i) ? m.get(i) : { record, resource: st.resources[i] }).filter(x => x !== undefined);
        return {
            ...st, resources: kept.flatMap(x => x.resource ? [x.resource] : []),
            records: { ...st.records!, records: kept.map(x => x.record) },
        };
    });
}
