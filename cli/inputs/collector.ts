/**
 * The Collector: AWS records grouped while they are read, into one pseudo-stack per source,
 * account and region. CloudTrail events are kept once per eventID (EventLedger); AWS Config items
 * are kept only while they are the newest of their resource (./config-items.ts), so what a file
 * of a resource's whole history costs is bounded by its resources, not its items.
 */
import { isDeepStrictEqual } from "util";
import type { Obj } from "../../policies/values/values";
import { ConfigCandidate, ConfigItems } from "./config-items";
import { PROJECTS, stackName } from "./records";
import type { AwsRecord, ConfigItemNote, InputKindBase, RecordSet, RecordSource, RejectedCall, StackInput, StackResource } from "./types";

/** AWS records: JSON values (a file's document, the elements of its top-level array, or its JSON Lines). */
export interface AwsRecordsKind extends InputKindBase {
    form: "records";
    /** Whether a value is of this kind. */
    detect(value: unknown): boolean;
    /** Reads a value of this kind, `where` in the file ("" for the whole document), into `into`. */
    read(file: string, where: string, value: Obj, into: Collector): void;
}

export interface Group {
    set: RecordSet;
    resources: StackResource[];
    urns: Set<string>;
    eventIds: Set<string>;
    /** The inputs it was read from, when merged from several (acrossInputs). */
    files: string[];
    /** AWS Config: the newest item of each resource so far. */
    config: ConfigItems;
    /** Warnings about its records (one line each). */
    warnings: string[];
    /** CloudTrail: the days of the trail log files read for it (./trail-days.ts). */
    days: Set<string>;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
    return a === undefined ? b : b === undefined ? a : Date.parse(b) < Date.parse(a) ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
    return a === undefined ? b : b === undefined ? a : Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * What a CloudTrail event says, to tell a repeated event (one eventID read twice: identical)
 * from a conflicting one: a created resource's kind and request parameters, or a rejected
 * call's name and error code, with the account, region, time and caller.
 */
export type EventContents = [string, string, string, string | undefined, string | undefined, unknown];

export function createdContents(r: AwsRecord, params: unknown): EventContents {
    return [`${r.call ?? "Create"}${r.kind}`, r.account, r.region, r.time, r.caller, params];
}

export function rejectedContents(x: RejectedCall): EventContents {
    return [x.eventName, x.account, x.region, x.time, x.caller, x.errorCode];
}

/**
 * CloudTrail events by eventID, whatever file or input they come from: the first of each is
 * kept; a repeat is dropped, silently when identical, else noted for a warning naming its file
 * and eventID (never a value).
 */
export class EventLedger {
    private readonly seen = new Map<string, EventContents>();
    /** File → eventIDs read there again with other contents. */
    private readonly conflicts = new Map<string, Set<string>>();

    /** Whether this is the first event with `eventId` (to keep). */
    first(file: string, eventId: string, contents: EventContents): boolean {
        const before = this.seen.get(eventId);
        if (before === undefined) {
            this.seen.set(eventId, contents);
            return true;
        }
        if (!isDeepStrictEqual(before, contents)) {
            let ids = this.conflicts.get(file);
            if (!ids) {
                this.conflicts.set(file, ids = new Set());
            }
            ids.add(eventId);
        }
        return false;
    }

    /** The warning about `file`'s conflicting events, if it has any (one line). */
    warning(file: string): string | undefined {
        const ids = [...this.conflicts.get(file) ?? []];
        if (ids.length === 0) {
            return undefined;
        }
        const named = ids.slice(0, 5).join(", ") + (ids.length > 5 ? `, and ${ids.length - 5} more` : "");
        return `${file}: ${ids.length} CloudTrail event(s) with an eventID read before but different contents (${named}); ` +
            "only the first of each is evaluated";
    }
}

/** Adds `file`'s warning from `ledger` (if any) to the first of `stacks` read from that file. */
export function warnAbout(ledger: EventLedger, file: string, stacks: StackInput[]): void {
    const w = ledger.warning(file);
    const s = stacks.find(x => x.file === file);
    if (w !== undefined && s) {
        s.warnings = [...s.warnings ?? [], w];
    }
}

/** Collects records into one pseudo-stack per source, account and region. */
export class Collector {
    private readonly groups = new Map<string, Group>();
    /** The CloudTrail events read, by eventID. */
    readonly events = new EventLedger();
    /** The AWS Config notes kept (account, region, kind, resource id and capture time). */
    private readonly noted = new Set<string>();
    /** Whether the AWS Config item lists of the values read were read as the file was (./aws-config.ts streamedItem). */
    itemsStreamed = false;
    /** What the input leaves out (an output that is a first page, say): warnings, and lines of the Evidence, on its first stack. */
    readonly incomplete: string[] = [];

    group(source: RecordSource, account: string, region: string): Group {
        const key = `${source}\n${account}\n${region}`;
        let g = this.groups.get(key);
        if (!g) {
            this.groups.set(key, g = {
                set: { source, account, region, records: [], rejected: [] }, resources: [], urns: new Set(), eventIds: new Set(), files: [],
                config: new ConfigItems(), warnings: [], days: new Set(),
            });
        }
        return g;
    }

    cover(g: Group, first: string | undefined, last: string | undefined): void {
        g.set.first = earlier(g.set.first, first);
        g.set.last = later(g.set.last, last);
    }

    /** Trail log files of `g`'s account and Region were read for these days. */
    logDays(g: Group, days: readonly string[]): void {
        days.forEach(d => g.days.add(d));
    }

    /** A record and its resource; the same record read twice (same URN) counts once. */
    add(g: Group, resource: StackResource, record: AwsRecord): void {
        if (!g.urns.has(resource.urn)) {
            g.urns.add(resource.urn);
            g.resources.push(resource);
            g.set.records.push(record);
        }
    }

    /** An AWS Config item, kept while it is the newest of its resource (./config-items.ts). */
    configItem(g: Group, item: ConfigCandidate): void {
        g.config.offer(item);
    }

    /** An AWS Config item that is not judged (deleted, not recorded); the same item read twice counts once. */
    note(g: Group, item: ConfigItemNote): void {
        const key = `${g.set.account}\n${g.set.region}\n${item.kind}\n${item.resourceId}\n${item.time ?? ""}`;
        if (!this.noted.has(key)) {
            this.noted.add(key);
            (g.set.notes ??= []).push(item);
        }
    }

    reject(g: Group, call: RejectedCall): void {
        if (!g.eventIds.has(call.eventId)) {
            g.eventIds.add(call.eventId);
            g.set.rejected.push(call);
        }
    }

    /**
     * One stack per group, ordered by source, account and region, read from `file` (or from the
     * files its group was merged from); the first warns about conflicting events.
     */
    stacks(file: string): StackInput[] {
        const stacks: StackInput[] = [...this.groups.values()]
            .sort((a, b) => a.set.source.localeCompare(b.set.source) || a.set.account.localeCompare(b.set.account) || a.set.region.localeCompare(b.set.region))
            .map(g => {
                const conflicts = g.config.settle(g.set, (r, rec) => this.add(g, r, rec), n => this.note(g, n));
                if (g.days.size > 0) {
                    g.set.logDays = [...g.days].sort();
                }
                const warnings = [...g.warnings, ...conflicts.map(w => `${g.files.length > 0 ? g.files.join(", ") : file}: ${w}`)];
                return {
                    file: g.files[0] ?? file, ...(g.files.length > 1 && { sources: g.files }),
                    source: g.set.source, stack: stackName(g.set, g.set.source), project: PROJECTS[g.set.source],
                    resources: g.resources, records: g.set, ...(warnings.length > 0 && { warnings }),
                };
            });
        warnAbout(this.events, file, stacks);
        if (this.incomplete.length > 0 && stacks.length > 0) {
            stacks[0].warnings = [...this.incomplete, ...stacks[0].warnings ?? []];
            stacks[0].records!.incomplete = [...stacks[0].records!.incomplete ?? [], ...this.incomplete];
        }
        return stacks;
    }
}
