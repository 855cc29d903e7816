/**
 * AWS records read from several files made into one pseudo-stack per source, account and region:
 * the files of a folder (a trail delivers a file per region every few minutes; Config a snapshot
 * a day), and every input given to the check command (a snapshot and the history of the same
 * resources, the six describe-* files of a region). A resource read twice counts once: a
 * CloudTrail event by its eventID (over all inputs), a describe output by its URN, an AWS Config
 * resource by its newest item (./config-items.ts).
 */
import { Collector, createdContents, EventLedger, Group, rejectedContents, warnAbout } from "./collector";
import { parseInstant } from "./instant";
import { noRecords, RECORD_KINDS } from "./records";
import { gapLine } from "./trail-days";
import type { AwsRecord, RecordSet, RejectedCall, StackInput, StackResource } from "./types";

const KIND_OF = new Map(RECORD_KINDS.map(k => [k.kind, k]));

/** Adds a record stack's records (`kept`: those to keep of them) to `g`. */
function gather(c: Collector, g: Group, s: StackInput, kept: { resources: StackResource[]; records: AwsRecord[]; rejected: RejectedCall[] }, file?: string): void {
    const r = s.records!;
    c.cover(g, r.first, r.last);
    c.logDays(g, r.logDays ?? []);
    const withFile = (res: StackResource) => file === undefined || res.file !== undefined ? res : { ...res, file };
    if (r.source === "config") {
        kept.records.forEach((record, i) => c.configItem(g, {
            kind: KIND_OF.get(record.kind)!, resourceId: record.resourceId ?? record.name, instant: parseInstant(record.time ?? "")!,
            record, resource: withFile(kept.resources[i]),
        }));
        r.notes?.forEach(note => c.configItem(g, { kind: KIND_OF.get(note.kind)!, resourceId: note.resourceId, instant: parseInstant(note.time ?? "")!, note }));
    } else {
        kept.resources.forEach((res, i) => c.add(g, withFile(res), kept.records[i]));
        kept.rejected.forEach(x => c.reject(g, x));
    }
}

const isEmpty = (r: RecordSet) => r.account === "" && r.region === "";

/** Each record stack's `incomplete` lines, on the first of `out` of the same source (or the first record stack). */
function keepIncomplete(from: StackInput[], out: StackInput[]): void {
    for (const s of from) {
        const lines = s.records?.incomplete ?? [];
        const to = out.find(o => o.records?.source === s.records?.source) ?? out.find(o => o.records);
        if (lines.length > 0 && to && to.records !== s.records) {
            to.records = { ...to.records!, incomplete: [...new Set([...to.records!.incomplete ?? [], ...lines])] };
        }
    }
}

/**
 * The stacks of a folder's files: the files' record pseudo-stacks merged into one per source,
 * account and region, named after the folder; other stacks (stack exports, previews) as they are.
 */
export function mergeRecordStacks(dir: string, stacks: StackInput[]): StackInput[] {
    const c = new Collector();
    const others = stacks.filter(s => !s.records);
    const records = stacks.filter(s => s.records);
    for (const s of records) {
        if (!isEmpty(s.records!)) {
            gather(c, c.group(s.records!.source, s.records!.account, s.records!.region), s, once(c.events, dir, s));
        }
    }
    const merged = c.stacks(dir);
    const out = [...(merged.length === 0 && records.length > 0 ? [noRecords(dir, records[0].records!.source)] : merged), ...others];
    keepIncomplete(records, out);
    // The files' own warnings (events repeated within one file, first pages), on the folder's first stack.
    const warnings = records.flatMap(s => s.warnings ?? []);
    if (warnings.length > 0) {
        out[0].warnings = [...new Set([...warnings, ...out[0].warnings ?? []])];
    }
    return out;
}

/**
 * The record pseudo-stacks of several inputs (files or folders) merged into one per source,
 * account and region, with the inputs as its sources and each resource's file kept. A merged
 * stack takes the place of its first input's; other stacks stay as they are.
 */
function mergeInputs(stacks: StackInput[]): StackInput[] {
    const c = new Collector();
    const records = stacks.filter(s => s.records && !isEmpty(s.records));
    const key = (r: RecordSet) => `${r.source}\n${r.account}\n${r.region}`;
    for (const s of records) {
        const r = s.records!;
        const g = c.group(r.source, r.account, r.region);
        if (!g.files.includes(s.file)) {
            g.files.push(s.file);
        }
        gather(c, g, s, { resources: s.resources, records: r.records, rejected: r.rejected }, s.file);
    }
    const merged = new Map(c.stacks("").map(m => [key(m.records!), m]));
    const emitted = new Set<StackInput>();
    const out: StackInput[] = [];
    for (const s of stacks) {
        const m = s.records && !isEmpty(s.records) ? merged.get(key(s.records)) : undefined;
        if (!m) {
            out.push(s);
        } else if (!emitted.has(m)) {
            // In the place of the first input of its source, account and region, with every input's warnings.
            emitted.add(m);
            const warnings = [...new Set([...records.filter(d => key(d.records!) === key(m.records!)).flatMap(d => d.warnings ?? []), ...m.warnings ?? []])];
            out.push(m.sources === undefined ? { ...m, file: s.file, ...(warnings.length > 0 && { warnings }) } : { ...m, ...(warnings.length > 0 && { warnings }) });
        }
    }
    keepIncomplete(stacks.filter(s => s.records), out);
    return out;
}

/**
 * What the check command reads from all its inputs: each CloudTrail event once (eachEventOnce)
 * and one stack per source, account and region (mergeInputs), each CloudTrail stack with the
 * days its trail's log files leave out (withGaps).
 */
export function acrossInputs(stacks: StackInput[]): StackInput[] {
    return mergeInputs(eachEventOnce(stacks)).map(withGaps);
}

/**
 * A CloudTrail stack whose log files leave out days between its first and last (./trail-days.ts)
 * with a line saying which, in what its records leave out (the Evidence) and in its warnings.
 * Said once all inputs are merged: another input may hold the days one leaves out.
 */
function withGaps(s: StackInput): StackInput {
    const r = s.records;
    const line = r?.source === "cloudtrail" && r.logDays ? gapLine(r.account, r.region, r.logDays) : undefined;
    return line === undefined ? s
        : { ...s, warnings: [...s.warnings ?? [], `${s.file}: ${line}`], records: { ...r!, incomplete: [...r!.incomplete ?? [], line] } };
}

/**
 * A record stack's resources, records and rejected calls whose CloudTrail events `ledger` has
 * not seen before (each then recorded as seen from `file`). A Collector's stacks hold a record
 * per resource, in the same order; describe and Config records (no eventID) are all kept.
 */
function once(ledger: EventLedger, file: string, s: StackInput): { resources: StackResource[]; records: AwsRecord[]; rejected: RejectedCall[] } {
    const r = s.records!;
    const keep = s.resources.map((res, i) => {
        const rec = r.records[i];
        return rec.eventId === undefined || ledger.first(file, rec.eventId, createdContents(rec, res.inputs));
    });
    return {
        resources: s.resources.filter((_, i) => keep[i]),
        records: r.records.filter((_, i) => keep[i]),
        rejected: r.rejected.filter(x => ledger.first(file, x.eventId, rejectedContents(x))),
    };
}

/**
 * The inputs' stacks with each CloudTrail event once over all of them (the same trail given as
 * a folder and as lookup-events output, say): a later input's repeat of an event is dropped
 * before the pack evaluates it, so every count (evidence, findings, summary) holds it once. An
 * input whose repeat differs from the first gets a warning naming the eventID.
 */
export function eachEventOnce(stacks: StackInput[]): StackInput[] {
    const ledger = new EventLedger();
    const out = stacks.map(s => {
        if (s.records?.source !== "cloudtrail") {
            return s;
        }
        const { resources, records, rejected } = once(ledger, s.file, s);
        return resources.length === s.resources.length && rejected.length === s.records.rejected.length ? s
            : { ...s, resources, records: { ...s.records, records, rejected } };
    });
    new Set(out.map(s => s.file)).forEach(file => warnAbout(ledger, file, out));
    return out;
}
