/**
 * The check command's inputs: a registry of input kinds, each in its own file, and loadFile,
 * which asks each kind in turn whether a file is of it. Pulumi documents (stack exports,
 * previews) are read as a stream of resources (./stream.ts): each resource's outputs are encoded
 * for AnalyzeStack as soon as it is read, so a large state is never held whole. AWS records,
 * gzip files and JSON Lines are read whole (./files.ts).
 *
 * Adding a kind: one file exporting a DocumentKind (./pulumi-state.ts) or an AwsRecordsKind
 * (./records.ts), its tests, and one line in INPUT_KINDS.
 */
import * as fs from "fs";
import * as zlib from "zlib";
import { isObj, Obj } from "../../policies/lib/values";
import { cloudTrail } from "./cloudtrail";
import { describe } from "./describe";
import { jsonFiles, jsonValues } from "./files";
import { preview } from "./preview";
import type { DocumentKind } from "./pulumi-state";
import { AwsRecordsKind, Collector, mergeRecordStacks, noEvents } from "./records";
import { stackExport } from "./stack-export";
import { JsonError, scanJsonFile } from "./stream";
import { StackInput, UsageError } from "./types";

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
];

const DOCUMENT_KINDS = INPUT_KINDS.filter((k): k is DocumentKind => k.form === "document");
const RECORDS_KINDS = INPUT_KINDS.filter((k): k is AwsRecordsKind => k.form === "records");

/** How reports name a stack's source (an input kind's name). */
export function sourceName(source: string): string {
    return INPUT_KINDS.find(k => k.name === source)?.title ?? source;
}

function unreadable(file: string, e: unknown): UsageError {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot be read (${code ?? String(e)})`;
    return new UsageError(`${file}: ${why}`);
}

/** What a JSON value is, as the streaming scan tells it (./stream.ts). */
function kindOf(v: unknown): string | undefined {
    return v === undefined ? undefined : v === null ? "null" : Array.isArray(v) ? "array" : isObj(v) ? "object" : "other";
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

const NOT_RECORDS = "is not a CloudTrail log or event, `aws cloudtrail lookup-events` output or `aws sagemaker describe-*` output " +
    "of a model, job, monitoring job definition or monitoring schedule";

/**
 * The pseudo-stacks of AWS records in a file's JSON values (one document, the elements of its
 * top-level array, or a sequence of them as in JSON Lines); undefined if the file holds no AWS
 * records at all. A file that holds some but also something else is an error naming the value.
 */
function recordStacks(file: string, docs: unknown[]): StackInput[] | undefined {
    const items = docs.length === 1 && Array.isArray(docs[0]) ? docs[0] : docs;
    const kindOfItem = (x: unknown) => RECORDS_KINDS.find(k => k.detect(x));
    if (!items.some(x => kindOfItem(x) !== undefined)) {
        return undefined;
    }
    const c = new Collector();
    items.forEach((x, i) => {
        const where = items !== docs ? `[${i}]` : docs.length > 1 ? `value ${i + 1}` : "";
        const kind = kindOfItem(x);
        if (!kind) {
            throw new UsageError(`${file}: ${where || "the document"} ${NOT_RECORDS}`);
        }
        kind.read(file, where, x as Obj, c);
    });
    const stacks = c.stacks(file);
    return stacks.length > 0 ? stacks : [noEvents(file)];
}

/**
 * Reads one file, or a folder of AWS records; throws UsageError naming the file and the problem.
 * A Pulumi document is read as a stream (./stream.ts); anything else (AWS records, gzip files,
 * JSON Lines) is read whole.
 */
export function loadFile(file: string): StackInput[] {
    let isDirectory: boolean;
    const head = Buffer.alloc(2);
    try {
        isDirectory = fs.statSync(file).isDirectory();
        if (!isDirectory) {
            const fd = fs.openSync(file, "r");
            try {
                fs.readSync(fd, head, 0, 2, 0);
            } finally {
                fs.closeSync(fd);
            }
        }
    } catch (e) {
        throw unreadable(file, e);
    }
    if (isDirectory) {
        const files = jsonFiles(file);
        if (files.length === 0) {
            throw new UsageError(`${file}: a folder with no .json, .jsonl or .json.gz file`);
        }
        return mergeRecordStacks(file, files.flatMap(loadFile));
    }
    const gzip = head[0] === 0x1f && head[1] === 0x8b; // gzip's magic number, whatever the file's name
    const documents = documentReaders(file);
    if (!gzip) {
        let members: Map<string, string> | undefined;
        try {
            members = scanJsonFile(file, DOCUMENT_KINDS.map(k => k.elements), documents.element).members;
        } catch (e) {
            if (!(e instanceof JsonError)) {
                throw e instanceof UsageError ? e : unreadable(file, e);
            }
            // Not one JSON value: JSON Lines or concatenated documents, read whole below.
        }
        const stacks = members && documents.stacks(p => members.get(p));
        if (stacks) {
            return stacks;
        }
    }
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        throw unreadable(file, e);
    }
    if (gzip) {
        try {
            bytes = zlib.gunzipSync(bytes);
        } catch (e) {
            throw new UsageError(`${file}: not a valid gzip file (${(e as Error).message.split("\n")[0]})`);
        }
    }
    let docs: unknown[];
    try {
        docs = jsonValues(bytes.toString("utf8").replace(/^\uFEFF/, ""));
    } catch (e) {
        throw new UsageError(`${file}: not valid JSON (${(e as Error).message.split("\n")[0]})`);
    }
    if (gzip && docs.length === 1) {
        // A gzip-compressed Pulumi document: the same reading as a plain one.
        const at = (p: string) => p.split(".").reduce<unknown>((v, k) => isObj(v) ? v[k] : undefined, docs[0]);
        DOCUMENT_KINDS.forEach((k, kind) => {
            const list = at(k.elements);
            (Array.isArray(list) ? list as unknown[] : []).forEach((v, i) => documents.element(v, kind, i));
        });
        const stacks = documents.stacks(p => kindOf(at(p)));
        if (stacks) {
            return stacks;
        }
    }
    const records = recordStacks(file, docs);
    if (records) {
        return records;
    }
    throw new UsageError(`${file}: not a \`pulumi stack export\` (no "deployment") or \`pulumi preview --json\` (no "steps") document, ` +
        "nor a CloudTrail log, `aws cloudtrail lookup-events` or `aws sagemaker describe-*` output");
}
