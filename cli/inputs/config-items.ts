/**
 * AWS Config items of one account and region, kept while they are the newest of their resource
 * (resource type and resource id): an older item is dropped as it is read, so a resource's whole
 * history costs one item. Capture times are instants (./instant.ts): a snapshot's
 * `2026-11-30T03:58:12.310Z` and the CLI's `2026-11-30T03:58:12.310000+00:00` are the same item.
 *
 * Two different items of one resource captured at the same instant are a conflict, settled the
 * same way whatever order they are read in, and warned about (naming the resource, never a
 * value): a deletion wins (ResourceDeleted, ResourceDeletedNotRecorded), then a not recorded item,
 * then the item whose configuration comes first in canonical JSON (keys sorted): what the pack
 * would judge of the others is not known while reading, so the rule is only deterministic.
 */
import type { Obj } from "../../policies/values/values";
import { compareInstants, Instant } from "./instant";
import { RecordKind, recordResource } from "./records";
import type { AwsRecord, ConfigItemNote, StackResource } from "./types";

/** An item as read: its resource (props, or a resource already built by an earlier merge) or its note. */
export interface ConfigCandidate {
    kind: RecordKind;
    resourceId: string;
    instant: Instant;
    /** The record (its `urn` is set when the resource is built). */
    record?: AwsRecord;
    props?: Obj;
    resource?: StackResource;
    note?: ConfigItemNote;
}

/** JSON with the keys of every object sorted: the same configuration, whatever its spelling's key order. */
export function canonicalJson(v: unknown): string {
    if (Array.isArray(v)) {
        return `[${v.map(canonicalJson).join(",")}]`;
    }
    if (v !== null && typeof v === "object") {
        const o = v as Obj;
        return `{${Object.keys(o).sort().map(k => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
    }
    return JSON.stringify(v) ?? "null";
}

/** Lower wins: a deletion, a not recorded item, a judged item. */
function rank(c: ConfigCandidate): number {
    const s = c.note?.status;
    return s === "ResourceDeleted" || s === "ResourceDeletedNotRecorded" ? 0 : s === "ResourceNotRecorded" ? 1 : 2;
}

interface Kept {
    item: ConfigCandidate;
    /** Its canonical configuration, computed only when another item of the same instant comes. */
    canon?: string;
    /** Other items of the same instant were read (and lost). */
    conflict: boolean;
}

function canonOf(k: { item: ConfigCandidate; canon?: string }): string {
    const c = k.item;
    return k.canon ??= `${rank(c)}${canonicalJson(c.props ?? c.resource?.inputs ?? c.note?.status ?? null)}`;
}

export class ConfigItems {
    private readonly kept = new Map<string, Kept>();

    offer(item: ConfigCandidate): void {
        const key = `${item.kind.kind}\n${item.resourceId}`;
        const before = this.kept.get(key);
        const order = before === undefined ? 1 : compareInstants(item.instant, before.item.instant);
        if (order > 0) {
            this.kept.set(key, { item, conflict: false });
            return;
        }
        if (order < 0 || before === undefined) {
            return;
        }
        const challenger: { item: ConfigCandidate; canon?: string } = { item };
        const [a, b] = [canonOf(before), canonOf(challenger)];
        if (a === b) {
            return; // the same item, read twice (a snapshot and the history, say)
        }
        const wins = rank(item) < rank(before.item) || (rank(item) === rank(before.item) && b < a);
        this.kept.set(key, wins ? { item, canon: b, conflict: true } : { ...before, conflict: true });
    }

    /**
     * The kept items, each as a resource (`add`) or a note (`note`), in the order read; the warnings
     * of conflicting items. Empties the set.
     */
    settle(set: { account: string; region: string }, add: (r: StackResource, record: AwsRecord) => void, note: (n: ConfigItemNote) => void): string[] {
        const warnings: string[] = [];
        for (const { item, conflict } of this.kept.values()) {
            if (conflict) {
                warnings.push(`AWS Config items of ${item.kind.noun} ${item.resourceId} (account ${set.account || "unknown"}, ${set.region || "unknown region"}) ` +
                    `captured at the same instant (${item.instant.iso}) differ; the one evaluated is ` +
                    (rank(item) === 0 ? "the deletion" : rank(item) === 1 ? "the not recorded item" : "the first by canonical configuration") +
                    " (docs/check-command.md, AWS Config)");
            }
            if (item.note) {
                note(item.note);
            } else if (item.record) {
                const resource = item.resource ?? recordResource(set, "config", item.kind, item.record.name, item.props ?? {});
                add(resource, { ...item.record, urn: resource.urn });
            }
        }
        this.kept.clear();
        return warnings;
    }
}
