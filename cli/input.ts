/**
 * Reading the check command's inputs: `pulumi stack export` files and `pulumi preview --json`
 * output, into stacks of resources with their inputs (for resource policies) and outputs (for
 * the stack policy), encoded as the engine encodes property values on the analyzer protocol.
 */
import * as fs from "fs";
import { SECRET_SIG, SECRET_SIG_KEY, secretEnvelope, UNKNOWN_SENTINEL } from "../policies/lib/sentinels";
import { isObj, Obj } from "../policies/lib/values";

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
    outputs: Record<string, unknown>;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

export interface StackInput {
    file: string;
    /** "export" (pulumi stack export) or "preview" (pulumi preview --json). */
    source: "export" | "preview";
    stack: string;
    project: string;
    resources: StackResource[];
    /**
     * A preview that lists only the resources it changes (no `same` steps: `pulumi preview
     * --json` without `--show-sames`), so the stack policy does not see the whole stack.
     */
    partial?: boolean;
}

/**
 * A checkpoint value as the engine sends it to an analyzer. Secrets are stored in a stack
 * export as `{sig, plaintext}` (with --show-secrets) or `{sig, ciphertext}`; the engine sends
 * them as `{sig, value}`. A ciphertext we cannot decrypt becomes an unknown value. Assets and
 * archives (other signatures) pass through as they are.
 */
export function engineValue(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(engineValue);
    }
    if (!isObj(v)) {
        return v;
    }
    if (v[SECRET_SIG_KEY] === SECRET_SIG) {
        if ("value" in v) {
            return secretEnvelope(engineValue(v["value"]));
        }
        if (typeof v["plaintext"] === "string") {
            let value: unknown;
            try {
                value = JSON.parse(v["plaintext"]);
            } catch {
                value = v["plaintext"];
            }
            return secretEnvelope(engineValue(value));
        }
        // A ciphertext we cannot decrypt is a value not known to us.
        return secretEnvelope(UNKNOWN_SENTINEL);
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
        // The engine does not send internal keys (`__defaults`, `__internal`, ...) to analyzers.
        if (x !== undefined && !k.startsWith("__")) {
            out[k] = engineValue(x);
        }
    }
    return out;
}

/** The value behind secret envelopes, for reading properties locally (reports). */
export function plainValue(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(plainValue);
    }
    if (!isObj(v)) {
        return v;
    }
    if (v[SECRET_SIG_KEY] === SECRET_SIG) {
        return plainValue(v["value"]);
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
        out[k] = plainValue(x);
    }
    return out;
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

function skipped(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
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
function resource(file: string, where: string, state: Obj, id: unknown): StackResource | undefined {
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
    if (type.startsWith("aws:") && outputs["id"] === undefined && typeof id === "string" && id !== "") {
        outputs = { ...outputs, id };
    }
    return {
        urn, type, name: parsed.name, inputs, outputs,
        parent: typeof state["parent"] === "string" && state["parent"] !== "" ? state["parent"] : undefined,
        dependencies: strings(state["dependencies"]),
        propertyDependencies: propertyDependencies(state["propertyDependencies"]),
    };
}

/** Groups resources by the stack their URN names (a file normally holds one stack). */
function byStack(file: string, source: StackInput["source"], resources: StackResource[], fallbackUrns: string[]): StackInput[] {
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
        const p = fallbackUrns.map(parseUrn).find(x => x !== undefined);
        return [{ file, source, stack: p?.stack ?? "(unknown)", project: p?.project ?? "(unknown)", resources: [] }];
    }
    return [...stacks.values()];
}

function fromExport(file: string, deployment: Obj): StackInput[] {
    const list = deployment["resources"];
    if (list === undefined || list === null) {
        return byStack(file, "export", [], []);
    }
    if (!Array.isArray(list)) {
        throw new UsageError(`${file}: deployment.resources is not a list`);
    }
    const out: StackResource[] = [];
    const urns: string[] = [];
    list.forEach((r, i) => {
        if (!isObj(r)) {
            throw new UsageError(`${file}: deployment.resources[${i}] is not an object`);
        }
        if (r["delete"] === true) {
            return; // pending deletion: not part of the stack's desired state
        }
        if (typeof r["urn"] === "string") {
            urns.push(r["urn"]);
        }
        const sr = resource(file, `deployment.resources[${i}]`, r, r["id"]);
        if (sr) {
            out.push(sr);
        }
    });
    return byStack(file, "export", out, urns);
}

const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

function fromPreview(file: string, steps: unknown[]): StackInput[] {
    const out: StackResource[] = [];
    const urns: string[] = [];
    const seen = new Set<string>();
    steps.forEach((s, i) => {
        if (!isObj(s)) {
            throw new UsageError(`${file}: steps[${i}] is not an object`);
        }
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
            urns.push(state["urn"]);
            if (seen.has(state["urn"])) {
                return; // a replacement's create and delete steps name the same resource
            }
            seen.add(state["urn"]);
        }
        const sr = resource(file, `steps[${i}].newState`, state, state["id"]);
        if (sr) {
            out.push(sr);
        }
    });
    const partial = !steps.some(s => isObj(s) && s["op"] === "same");
    return byStack(file, "preview", out, urns).map(s => ({ ...s, partial }));
}

/** Reads one file; throws UsageError naming the file and the problem. */
export function loadFile(file: string): StackInput[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : `cannot be read (${code ?? String(e)})`;
        throw new UsageError(`${file}: ${why}`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (e) {
        throw new UsageError(`${file}: not valid JSON (${(e as Error).message.split("\n")[0]})`);
    }
    if (isObj(doc) && isObj(doc["deployment"])) {
        return fromExport(file, doc["deployment"]);
    }
    if (isObj(doc) && Array.isArray(doc["steps"])) {
        return fromPreview(file, doc["steps"]);
    }
    throw new UsageError(`${file}: not a \`pulumi stack export\` (no "deployment") or \`pulumi preview --json\` (no "steps") document`);
}
