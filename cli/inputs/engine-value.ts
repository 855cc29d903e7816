/**
 * Values and resources as the engine sends them to an analyzer: checkpoint values converted
 * (secrets, internal keys), URNs taken apart, and a resource's outputs encoded for AnalyzeStack
 * once, when it is read.
 */
import { SECRET_SIG, SECRET_SIG_KEY, secretEnvelope } from "../../policies/lib/sentinels";
import { isObj, Obj, SEALED_STRING } from "../../policies/lib/values";
import { encodeAnalyzerResource } from "../engine/protobuf";
import type { StackResource } from "./types";

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

/** A StackResource from its parts, its outputs encoded for AnalyzeStack (and not kept). */
export function stackResource(r: Omit<StackResource, "stackEntry"> & { outputs: Record<string, unknown> }): StackResource {
    const { outputs, ...rest } = r;
    return { ...rest, stackEntry: encodeAnalyzerResource({ ...rest, props: outputs }) };
}
