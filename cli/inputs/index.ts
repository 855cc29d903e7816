/**
 * The check command's inputs: a registry of input kinds, each in its own file, and loadFile,
 * which asks each kind in turn whether a file is of it. Pulumi documents (stack exports,
 * previews, gzip-compressed or not) are read as a stream of resources (./source.ts, ./stream.ts):
 * each resource's outputs are encoded for AnalyzeStack as soon as it is read, so a large state is
 * never held whole. AWS records and JSON Lines are kept and parsed at the end; folders are listed
 * by ./files.ts.
 *
 * Adding a kind: one file exporting a DocumentKind (./pulumi-state.ts) or an AwsRecordsKind
 * (./collector.ts), its tests, and one line in INPUT_KINDS.
 */
import * as fs from "fs";
import type { Obj } from "../../policies/values/values";
import { awsConfig, ITEM_LISTS, streamedItem } from "./aws-config";
import { cloudTrail } from "./cloudtrail";
import { describe } from "./describe";
import { jsonFiles } from "./files";
import { preview } from "./preview";
import type { DocumentKind } from "./pulumi-state";
import { AwsRecordsKind, Collector } from "./collector";
import { mergeRecordStacks } from "./merge";
import { noRecords } from "./records";
import { stackExport } from "./stack-export";
import { DEFAULT_MAX_FILE_BYTES, formatSize, isStdin, readBytes, unreadable } from "./source";
import { JsonError, JsonScanner, MAX_KEPT, ScanResult, TooLargeToHold } from "./stream";
import { RecordSource, StackInput, UsageError } from "./types";

/**
 * An input kind: a Pulumi document whose resources are the elements of one array, read as a
 * stream, or AWS records, JSON values read whole and collected into pseudo-stacks.
 */
export type InputKind = DocumentKind | AwsRecordsKind;

/** The input kinds, in the order they are asked. */
export const INPUT_KINDS: readonly InputKind[] = [
    stackExport,
    preview,
    cloudTrail,
    describe,
    awsConfig,
];

const DOCUMENT_KINDS = INPUT_KINDS.filter((k): k is DocumentKind => k.form === "document");
const RECORDS_KINDS = INPUT_KINDS.filter((k): k is AwsRecordsKind => k.form === "records");

/** How reports name a stack's source (an input kind's name). */
export function sourceName(source: string): string {
    return INPUT_KINDS.find(k => k.name === source)?.title ?? source;
}

/** Reads the elements of each document kind's array from a document (streamed or whole). */
function documentReaders(file: string) {
    const readers = DOCUMENT_KINDS.map(k => k.read(file));
    return {
        element: (value: unknown, kind: number, index: number) => readers[kind].element(value, index),
        /** The stacks of the first kind the document is of (`member`: what its members are), if any. */
        stacks: (member: (path: string) => string | undefined): StackInput[] | undefined => {
            const i = DOCUMENT_KINDS.findIndex(k => k.detect(member, file));
            return i < 0 ? undefined : readers[i].stacks();
        },
    };
}

const NOT_RECORDS = "is not a CloudTrail log or event, `aws cloudtrail lookup-events` output, `aws sagemaker describe-*` output " +
    "of a model, job, monitoring job definition, monitoring schedule, notebook instance or domain, or AWS Config records";

/**
 * The pseudo-stacks of AWS records in a file's JSON values (one document, the elements of its
 * top-level array, or a sequence of them as in JSON Lines); undefined if the file holds no AWS
 * records at all. A file that holds some but also something else is an error naming the value.
 */
function recordStacks(file: string, docs: unknown[], c: Collector): StackInput[] | undefined {
    const items = docs.length === 1 && Array.isArray(docs[0]) ? docs[0] : docs;
    const kindOfItem = (x: unknown) => RECORDS_KINDS.find(k => k.detect(x));
    if (!items.some(x => kindOfItem(x) !== undefined)) {
        return undefined;
    }
    // The item lists of top-level values were read as they came; those of an array's values were not.
    c.itemsStreamed = items === docs;
    const first = items.map(kindOfItem).find(k => k !== undefined)!;
    items.forEach((x, i) => {
        const where = items !== docs ? `[${i}]` : docs.length > 1 ? `value ${i + 1}` : "";
        const kind = kindOfItem(x);
        if (!kind) {
            throw new UsageError(`${file}: ${where || "the document"} ${NOT_RECORDS}`);
        }
        kind.read(file, where, x as Obj, c);
    });
    const stacks = c.stacks(file);
    if (stacks.length > 0) {
        return stacks;
    }
    // Nothing of its kind: said as such, with what the input leaves out.
    const empty = noRecords(file, first.name as RecordSource);
    return c.incomplete.length === 0 ? [empty] : [{ ...empty, warnings: [...c.incomplete], records: { ...empty.records!, incomplete: [...c.incomplete] } }];
}

/** How files are read: the cap on bytes per file, where warnings go, and who is told of each file read. */
export interface LoadOptions {
    /** At most this many bytes read from a file, and inflated from a gzip file (default 2 GiB). */
    maxFileBytes?: number;
    /** A warning, one line (e.g. a folder entry that cannot be followed). */
    warn?: (message: string) => void;
    /** Told of each file read, with its status once open (device and inode: the file actually read). */
    onRead?: (file: string, st: fs.Stats) => void;
}

/** A stack overflow (values nested deeper than the readers' recursion handles) as the file's error. */
function tooDeep(file: string, e: unknown, deepest: { depth: number; at: string } | undefined): unknown {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
        return new UsageError(`${file}: nests too deep to read` +
            (deepest ? ` (${deepest.depth.toLocaleString("en-US")} levels, reached at ${deepest.at})` : ""));
    }
    return e;
}

/**
 * Reads one file ("-" for standard input), or a folder of AWS records; throws UsageError naming
 * the file and the problem. The file is read once, as a stream (./stream.ts): the elements of a
 * Pulumi document as they come; AWS records, JSON Lines and concatenated documents kept and
 * parsed at the end.
 */
export async function loadFile(file: string, opts: LoadOptions = {}): Promise<StackInput[]> {
    const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    let isDirectory = false;
    if (!isStdin(file)) {
        try {
            isDirectory = fs.statSync(file).isDirectory();
        } catch (e) {
            throw unreadable(file, e);
        }
    }
    if (isDirectory) {
        const files = jsonFiles(file, opts.warn);
        if (files.length === 0) {
            throw new UsageError(`${file}: a folder with no .json, .jsonl or .json.gz file`);
        }
        const stacks: StackInput[] = [];
        for (const f of files) {
            stacks.push(...await loadFile(f, opts));
        }
        return mergeRecordStacks(file, stacks);
    }
    const documents = documentReaders(file);
    // AWS Config item lists are read as they come, each item cut out of the values kept (memory
    // bounded by resources, not items); document kinds' arrays are streamed.
    const targets = DOCUMENT_KINDS.map(k => k.elements);
    const c = new Collector();
    const onElement = (value: unknown, target: number, index: number, valueIndex: number) => target < targets.length
        ? documents.element(value, target, index)
        : streamedItem(file, `${valueIndex > 0 ? `value ${valueIndex + 1}: ` : ""}${ITEM_LISTS[target - targets.length]}[${index}]`, value, c);
    const scanner = new JsonScanner([...targets, ...ITEM_LISTS], onElement, { cut: new Set(ITEM_LISTS.map((_, i) => targets.length + i)) });
    let scan: ScanResult | undefined;
    try {
        for await (const chunk of readBytes(file, maxBytes, st => opts.onRead?.(file, st))) {
            scanner.push(chunk);
        }
        scan = scanner.end();
        if (scan.values === 1) {
            const stacks = documents.stacks(scan.member);
            if (stacks) {
                return stacks;
            }
        }
        if (scan.streamed) {
            throw new UsageError(`${file}: ${NOT_KNOWN}`);
        }
        return recordStacks(file, scan.documents(), c) ?? notKnown(file);
    } catch (e) {
        if (e instanceof JsonError) {
            throw new UsageError(`${file}: not valid JSON (${e.message})`);
        }
        if (e instanceof TooLargeToHold || (e instanceof RangeError && /string longer|buffer larger|Array buffer allocation/i.test(e.message))) {
            throw new UsageError(`${file}: holds a value, or AWS records read whole, of more than ${formatSize(MAX_KEPT)}, ` +
                "the longest text JavaScript can hold");
        }
        throw tooDeep(file, e, scan?.deepest);
    }
}

const NOT_KNOWN = "not a `pulumi stack export` (no \"deployment\") or `pulumi preview --json` (no \"steps\") document, " +
    "nor a CloudTrail log, `aws cloudtrail lookup-events` or `aws sagemaker describe-*` output, nor AWS Config records " +
    "(a configuration snapshot, `aws configservice get-resource-config-history`, `batch-get-resource-config` or `select-*-resource-config` output)";

function notKnown(file: string): never {
    throw new UsageError(`${file}: ${NOT_KNOWN}`);
}
