/**
 * Reading the check command's inputs: `pulumi stack export` files and `pulumi preview --json`
 * output, into stacks of resources with their inputs (for resource policies) and outputs (for
 * the stack policy), encoded as the engine encodes property values on the analyzer protocol.
 * Files are read as a stream of resources (cli/stream.ts): each resource's outputs are encoded
 * for AnalyzeStack as soon as it is read, so a large state is never held whole.
 */
import { SECRET_SIG, SECRET_SIG_KEY, secretEnvelope } from "../policies/lib/sentinels";
import { isObj, Obj, SEALED_STRING } from "../policies/lib/values";
import * as fs from "fs";
import * as zlib from "zlib";
import { jsonFiles, jsonValues } from "./files";
import { mergeRecordStacks, RecordSet, recordStacks } from "./records";
import { encodeAnalyzerResource } from "./engine/protobuf";
import { JsonError, scanJsonFile } from "./stream";

/** An input problem: reported as one line naming the file, exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface StackResource {
    urn: string;
    type: string;
    /** Logical name: the last segment of the URN. */
    name: string;
    inputs: Record<string, unknown>;
    /** The resource as AnalyzeStack carries it (with its outputs), encoded once when it is read. */
    stackEntry: Uint8Array;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /**
     * Read with `.get()` (an export's `external: true`, a preview's read step): the engine does
     * not call Analyze for reads; AnalyzeStack still sees them.
     */
    external: boolean;
}

export interface StackInput {
    /** The file (or folder, for AWS records) it was read from. */
    file: string;
    /**
     * "export" (pulumi stack export), "preview" (pulumi preview --json), or AWS records:
     * "cloudtrail" (CloudTrail logs, lookup-events) or "describe" (aws sagemaker describe-*).
     */
    source: "export" | "preview" | RecordSet["source"];
    stack: string;
    project: string;
    resources: StackResource[];
    /**
     * A preview of an existing stack that lists only the resources it changes (`pulumi preview
     * --json` without `--show-sames`: no `same` steps, and not only creates), so the stack policy
     * does not see the whole stack.
     */
    partial?: boolean;
    /** URNs the file lists more than once (a state the engine would refuse); the first of each is evaluated. */
    duplicateUrns?: string[];
    /** AWS records (source "cloudtrail" or "describe"): one per resource, and the rejected calls. */
    records?: RecordSet;
}

/** How reports name each source. */
export const SOURCE_NAMES: Record<StackInput["source"], string> = {
    export: "stack export", preview: "preview", cloudtrail: "CloudTrail records", describe: "`aws sagemaker describe-*` outputs",
};

/**
 * A checkpoint value as the engine sends it to an analyzer. Secrets are stored in a stack
 * export as `{sig, plaintext}` (with --show-secrets) or `{sig, ciphertext}`; the engine sends
 * them as `{sig, value}`. A ciphertext we cannot decrypt becomes `"[secret]"`, as `pulumi
 * policy analyze` sends it. Assets and archives (other signatures) pass through as they are.
 */
export function engineValue(root: unknown): unknown {
    // Without recursion: a definition may nest thousands of levels deep.
    const top: Obj = { v: undefined };
    const todo: [unknown, Obj | unknown[], string | number][] = [[root, top, "v"]];
    const set = (parent: Obj | unknown[], key: string | number, v: unknown) => {
        (parent as Record<string | number, unknown>)[key] = v;
    };
    for (let item = todo.pop(); item; item = todo.pop()) {
        const [v, parent, key] = item;
        if (Array.isArray(v)) {
            const arr: unknown[] = new Array(v.length);
            set(parent, key, arr);
            v.forEach((x, i) => todo.push([x, arr, i]));
        } else if (!isObj(v)) {
            set(parent, key, v);
        } else if (v[SECRET_SIG_KEY] === SECRET_SIG) {
            const envelope = secretEnvelope(SEALED_STRING);
            set(parent, key, envelope);
            if ("value" in v) {
                todo.push([v["value"], envelope, "value"]);
            } else if (typeof v["plaintext"] === "string") {
                let value: unknown;
                try {
                    value = JSON.parse(v["plaintext"]);
                } catch {
                    value = v["plaintext"];
                }
                todo.push([value, envelope, "value"]);
            }
        } else {
            const out: Obj = {};
            set(parent, key, out);
            for (const [k, x] of Object.entries(v)) {
                // The engine does not send internal keys (`__defaults`, `__internal`, ...) to analyzers.
                if (x !== undefined && !k.startsWith("__")) {
                    out[k] = undefined; // keeps the key order
                    todo.push([x, out, k]);
                }
            }
        }
    }
    return top["v"];
}

/** `urn:pulumi:STACK::PROJECT::TYPE::NAME` → its parts, or undefined. */
export function parseUrn(urn: string): { stack: string; project: string; name: string } | undefined {
    if (!urn.startsWith("urn:pulumi:")) {
        return undefined;
    }
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) {
        return undefined;
    }
    return { stack: parts[0], project: parts[1], name: parts.slice(3).join("::") };
}

/** The stack resource's type (the stack policy's results are recorded on it). */
export const STACK_TYPE = "pulumi:pulumi:Stack";

function skipped(type: string): boolean {
    return type === STACK_TYPE || type.startsWith("pulumi:providers:");
}

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function propertyDependencies(v: unknown): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (isObj(v)) {
        for (const [k, urns] of Object.entries(v)) {
            out[k] = strings(urns);
        }
    }
    return out;
}

/** One resource state (an export's resource or a preview step's newState). */
function resource(file: string, where: string, state: Obj, read: boolean): StackResource | undefined {
    const urn = state["urn"];
    const type = state["type"];
    if (typeof urn !== "string" || typeof type !== "string") {
        throw new UsageError(`${file}: ${where} has no urn or type`);
    }
    if (skipped(type)) {
        return undefined;
    }
    const parsed = parseUrn(urn);
    if (!parsed) {
        throw new UsageError(`${file}: ${where} has a malformed URN ${JSON.stringify(urn.slice(0, 120))}`);
    }
    const inputs = engineValue(isObj(state["inputs"]) ? state["inputs"] : {}) as Obj;
    let outputs = engineValue(isObj(state["outputs"]) ? state["outputs"] : {}) as Obj;
    if (Object.keys(outputs).length === 0 && Object.keys(inputs).length > 0 && where.startsWith("steps")) {
        // A resource a preview would create has no outputs yet; the engine projects its inputs.
        outputs = { ...inputs };
    }
    const id = state["id"];
    if (type.startsWith("aws:") && outputs["id"] === undefined && typeof id === "string" && id !== "") {
        outputs = { ...outputs, id };
    }
    return stackResource({
        urn, type, name: parsed.name, inputs, outputs,
        parent: typeof state["parent"] === "string" && state["parent"] !== "" ? state["parent"] : undefined,
        dependencies: strings(state["dependencies"]),
        propertyDependencies: propertyDependencies(state["propertyDependencies"]),
        external: read || state["external"] === true,
    });
}

/** A StackResource from its parts, its outputs encoded for AnalyzeStack (and not kept). */
export function stackResource(r: Omit<StackResource, "stackEntry"> & { outputs: Record<string, unknown> }): StackResource {
    const { outputs, ...rest } = r;
    return { ...rest, stackEntry: encodeAnalyzerResource({ ...rest, props: outputs }) };
}

/** Groups resources by the stack their URN names (a file normally holds one stack). */
function byStack(file: string, source: StackInput["source"], resources: StackResource[], fallbackUrns: Iterable<string>): StackInput[] {
    const stacks = new Map<string, StackInput>();
    for (const r of resources) {
        const { stack, project } = parseUrn(r.urn)!;
        const key = `${project}::${stack}`;
        let s = stacks.get(key);
        if (!s) {
            stacks.set(key, s = { file, source, stack, project, resources: [] });
        }
        s.resources.push(r);
    }
    if (stacks.size === 0) {
        // Only the stack resource and providers (or nothing): still report the stack.
        const p = [...fallbackUrns].map(parseUrn).find(x => x !== undefined);
        return [{ file, source, stack: p?.stack ?? "(unknown)", project: p?.project ?? "(unknown)", resources: [] }];
    }
    return [...stacks.values()];
}

/** Reads resource states one at a time and groups them into stacks. */
class Reader {
    private readonly out: StackResource[] = [];
    private readonly seen = new Set<string>();
    private readonly duplicates = new Set<string>();
    private readonly ops = new Set<unknown>();

    constructor(private readonly file: string) {}

    /** `deployment.resources[i]` of a stack export. */
    exported(r: unknown, i: number): void {
        if (!isObj(r)) {
            throw new UsageError(`${this.file}: deployment.resources[${i}] is not an object`);
        }
        if (r["delete"] === true) {
            return; // pending deletion: not part of the stack's desired state
        }
        if (typeof r["urn"] === "string") {
            if (this.seen.has(r["urn"])) {
                this.duplicates.add(r["urn"]);
                return;
            }
            this.seen.add(r["urn"]);
        }
        this.add(resource(this.file, `deployment.resources[${i}]`, r, false));
    }

    /** `steps[i]` of a preview. */
    step(s: unknown, i: number): void {
        if (!isObj(s)) {
            throw new UsageError(`${this.file}: steps[${i}] is not an object`);
        }
        this.ops.add(s["op"]);
        if (typeof s["op"] === "string" && GONE.has(s["op"])) {
            return;
        }
        const state = s["newState"];
        if (!isObj(state)) {
            return;
        }
        if (typeof state["urn"] !== "string" && typeof s["urn"] === "string") {
            state["urn"] = s["urn"];
        }
        if (typeof state["urn"] === "string") {
            if (this.seen.has(state["urn"])) {
                return; // a replacement's create and delete steps name the same resource
            }
            this.seen.add(state["urn"]);
        }
        this.add(resource(this.file, `steps[${i}].newState`, state, s["op"] === "read" || s["op"] === "read-replacement"));
    }

    private add(r: StackResource | undefined): void {
        if (r) {
            this.out.push(r);
        }
    }

    stacks(source: StackInput["source"]): StackInput[] {
        const stacks = byStack(this.file, source, this.out, this.seen);
        if (source === "preview") {
            // Without --show-sames a preview leaves out what it does not change. A first preview of a new
            // stack changes everything (only creates and reads), so it is whole even without `same` steps.
            const partial = !this.ops.has("same") && [...this.ops].some(op => op !== "create" && op !== "read");
            return stacks.map(s => ({ ...s, partial }));
        }
        return this.duplicates.size === 0 ? stacks : stacks.map(s => ({ ...s, duplicateUrns: [...this.duplicates] }));
    }
}

const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

function unreadable(file: string, e: unknown): UsageError {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot be read (${code ?? String(e)})`;
    return new UsageError(`${file}: ${why}`);
}

/** What a JSON value is, as the streaming scan tells it (cli/stream.ts). */
function kindOf(v: unknown): string | undefined {
    return v === undefined ? undefined : v === null ? "null" : Array.isArray(v) ? "array" : isObj(v) ? "object" : "other";
}

/**
 * A stack export or a preview, decided from what the document's members are (`kind` of a key
 * path), with the readers that were given its resources or steps; undefined if it is neither.
 */
function documentStacks(file: string, kind: (path: string) => string | undefined, exported: Reader, previewed: Reader): StackInput[] | undefined {
    if (kind("deployment") === "object") {
        const resources = kind("deployment.resources");
        if (resources !== undefined && resources !== "array" && resources !== "null") {
            throw new UsageError(`${file}: deployment.resources is not a list`);
        }
        return exported.stacks("export");
    }
    return kind("steps") === "array" ? previewed.stacks("preview") : undefined;
}

/**
 * Reads one file, or a folder of AWS records; throws UsageError naming the file and the problem.
 * A stack export or preview is read as a stream (cli/stream.ts); anything else (AWS records,
 * gzip files, JSON Lines) is read whole.
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
    const exported = new Reader(file);
    const previewed = new Reader(file);
    if (!gzip) {
        let members: Map<string, string> | undefined;
        try {
            members = scanJsonFile(file, ["deployment.resources", "steps"], (v, target, i) => target === 0 ? exported.exported(v, i) : previewed.step(v, i)).members;
        } catch (e) {
            if (!(e instanceof JsonError)) {
                throw e instanceof UsageError ? e : unreadable(file, e);
            }
            // Not one JSON value: JSON Lines or concatenated documents, read whole below.
        }
        const stacks = members && documentStacks(file, p => members.get(p), exported, previewed);
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
        // A gzip-compressed stack export or preview: the same reading as a plain one.
        const at = (p: string) => p.split(".").reduce<unknown>((v, k) => isObj(v) ? v[k] : undefined, docs[0]);
        const list = (p: string) => { const v = at(p); return Array.isArray(v) ? v as unknown[] : []; };
        list("deployment.resources").forEach((r, i) => exported.exported(r, i));
        list("steps").forEach((step, i) => previewed.step(step, i));
        const stacks = documentStacks(file, p => kindOf(at(p)), exported, previewed);
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
