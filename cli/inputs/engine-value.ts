/**
 * Values and resources as the engine sends them to an analyzer: checkpoint values converted
 * (secrets, resource references, assets, archives, output values, internal keys), URNs taken apart, and a resource's outputs encoded for AnalyzeStack
 * once, when it is read.
 */
import { SECRET_SIG, SECRET_SIG_KEY, secretEnvelope, UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import { isObj, Obj, SEALED_STRING } from "../../policies/values/values";
import { encodeAnalyzerResource } from "../protocol/protobuf";
import type { StackResource } from "./types";

/** The signatures of a checkpoint's special objects besides secrets (`SECRET_SIG_KEY` is their key). */
export const SIGNATURES = {
    asset: "c44067f5952c0a294b673a41bacd8c17",
    archive: "0def7320c3a5731c473e5ecbe6d01bc7",
    resource: "5cf8f73096256a8f31e491e813e4eb8e",
    output: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
    byteString: "803fd3297a5875dc03ca845dda5d2a98",
    float: "8ad145fe-0d11-4827-bfd7-1abcbf086f5c",
} as const;

/** A value the engine refuses to read or send; its message never holds a property value. */
export class ValueError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ValueError";
    }
}

/** What engineValue left out: the top-level properties that held an asset with no content. */
export interface LeftOut {
    contentless: Set<string>;
}

const ASSET_FIELDS = ["hash", "text", "path", "uri"] as const;

function nonEmpty(v: unknown): v is string {
    return typeof v === "string" && v !== "";
}

/**
 * An asset with no text, path or uri: the engine serializes an empty StringAsset (or a
 * placeholder) so, and sends it as `{sig, hash}`, which @pulumi/policy cannot read ("Invalid
 * asset encountered when unmarshaling resource property").
 */
function contentless(v: unknown): boolean {
    return isObj(v) && v[SECRET_SIG_KEY] === SIGNATURES.asset && !nonEmpty(v["text"]) && !nonEmpty(v["path"]) && !nonEmpty(v["uri"]);
}

/** An asset as the engine sends it: its signature and its non-empty hash, text, path and uri. */
function asset(v: Obj): Obj {
    const out: Obj = { [SECRET_SIG_KEY]: SIGNATURES.asset };
    for (const k of ASSET_FIELDS) {
        if (nonEmpty(v[k])) {
            out[k] = v[k];
        }
    }
    return out;
}

/** A resource reference without KeepResources: its id, its URN when it has none, unknown for an empty id. */
function reference(v: Obj): unknown {
    if (typeof v["urn"] !== "string") {
        throw new ValueError("a resource reference with no urn");
    }
    if (!("id" in v)) {
        return v["urn"]; // a component
    }
    // A checkpoint holds the id as a string, or (written by some versions) as `{V: id}`.
    const id = isObj(v["id"]) ? v["id"]["V"] ?? null : v["id"];
    if (typeof id === "string") {
        return id === "" ? UNKNOWN_SENTINEL : id; // an empty id is an unknown one (preview)
    }
    if (isObj(v["id"])) {
        return id === null ? v["urn"] : UNKNOWN_SENTINEL;
    }
    throw new ValueError("a resource reference whose id is not a string");
}

/** A byte string's bytes as a string; the analyzer protocol carries only valid UTF-8. */
function byteString(v: Obj): string {
    const encoded = v["value"];
    if (typeof encoded !== "string") {
        throw new ValueError("a byte string with no value");
    }
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(encoded, "base64"));
    } catch {
        throw new ValueError("a string of bytes that are not UTF-8, which the engine does not send to analyzers");
    }
}

/** A secret's plaintext: the JSON of its value (or, if it is not JSON, the value). */
function plaintext(s: string): unknown {
    try {
        return JSON.parse(s);
    } catch {
        return s;
    }
}

/** A float the checkpoint stores by its bits (NaN, infinities), as a number. */
function float(v: Obj): number {
    const hex = v["value"];
    if (typeof hex !== "string" || !/^[0-9a-fA-F]{1,16}$/.test(hex)) {
        throw new ValueError("a float with a malformed value");
    }
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(`0x${hex}`));
    return b.readDoubleBE();
}

/**
 * A checkpoint value as the engine sends it to an analyzer (rpc.go MarshalPropertyValue with
 * KeepUnknowns, KeepSecrets and SkipInternalKeys, without KeepResources or KeepOutputValues):
 * - secrets, stored as `{sig, plaintext}` (with --show-secrets) or `{sig, ciphertext}`, are
 *   sent as `{sig, value}`; a ciphertext we cannot decrypt becomes `"[secret]"`, as `pulumi
 *   policy analyze` sends it;
 * - a resource reference is sent as its id, as its URN when it has none (a component), as the
 *   unknown value when its id is empty (not known yet);
 * - assets and archives as their signature objects with only their non-empty fields (an
 *   archive: its path, else its uri, else its assets); an asset with no content is left out of
 *   its object, array or archive and named in `leftOut` (see contentless());
 * - an output value as its value, unknown when it has none, in a secret envelope when secret;
 *   its dependencies are dropped;
 * - byte strings and floats stored by their bits as the string and number they are;
 * - internal keys (`__defaults`, ...) are skipped at the top level only (`root`'s own keys).
 * Any other signature is refused (ValueError), as the engine refuses a state holding one.
 */
export function engineValue(root: unknown, leftOut?: LeftOut): unknown {
    // Without recursion: a definition may nest thousands of levels deep. A work item: a value,
    // where its result goes, the top-level property it is in, and whether it is an archive member.
    const top: Obj = { v: undefined };
    type Item = [unknown, Obj | unknown[], string | number, string, boolean];
    const todo: Item[] = [[root, top, "v", "", false]];
    const set = (parent: Obj | unknown[], key: string | number, v: unknown) => {
        (parent as Record<string | number, unknown>)[key] = v;
    };
    const kept = (x: unknown, prop: string) => {
        if (!contentless(x)) {
            return true;
        }
        leftOut?.contentless.add(prop);
        return false;
    };
    let prop = ""; // of the item being converted, to name it when it is refused
    const convert = ([v, parent, key, itemProp, member]: Item): void => {
        prop = itemProp;
        const sig = isObj(v) ? v[SECRET_SIG_KEY] : undefined;
        if (member && sig !== SIGNATURES.asset && sig !== SIGNATURES.archive) {
            throw new ValueError("an archive member that is not an asset or archive");
        }
        if (Array.isArray(v)) {
            const arr: unknown[] = [];
            set(parent, key, arr);
            v.filter(x => kept(x, prop)).forEach((x, i) => todo.push([x, arr, i, prop, false]));
        } else if (!isObj(v)) {
            set(parent, key, v);
        } else if (sig === undefined) {
            const out: Obj = {};
            set(parent, key, out);
            for (const [k, x] of Object.entries(v)) {
                const p = parent === top ? k : prop;
                // The engine skips internal keys (`__defaults`, ...) of a property map, not below.
                if (x !== undefined && !(parent === top && k.startsWith("__")) && kept(x, p)) {
                    out[k] = undefined; // keeps the key order
                    todo.push([x, out, k, p, false]);
                }
            }
        } else if (sig === SECRET_SIG || sig === SIGNATURES.output) {
            const value = "value" in v ? v["value"]
                : sig === SIGNATURES.output ? UNKNOWN_SENTINEL
                    : typeof v["plaintext"] === "string" ? plaintext(v["plaintext"]) : SEALED_STRING;
            if (sig === SECRET_SIG || v["secret"] === true) {
                const envelope = secretEnvelope(SEALED_STRING);
                set(parent, key, envelope);
                todo.push([value, envelope, "value", prop, false]);
            } else {
                todo.push([value, parent, key, prop, false]);
            }
        } else if (sig === SIGNATURES.asset) {
            set(parent, key, asset(v));
        } else if (sig === SIGNATURES.archive) {
            const out: Obj = { [SECRET_SIG_KEY]: SIGNATURES.archive, ...(nonEmpty(v["hash"]) && { hash: v["hash"] }) };
            set(parent, key, out);
            if (nonEmpty(v["path"]) || nonEmpty(v["uri"])) {
                out[nonEmpty(v["path"]) ? "path" : "uri"] = nonEmpty(v["path"]) ? v["path"] : v["uri"];
            } else if (v["assets"] === undefined || isObj(v["assets"])) {
                const assets: Obj = {};
                out["assets"] = assets;
                for (const [k, x] of Object.entries(v["assets"] ?? {})) {
                    if (kept(x, prop)) {
                        todo.push([x, assets, k, prop, true]);
                    }
                }
            } else {
                throw new ValueError("an archive whose assets are not an object");
            }
        } else if (sig === SIGNATURES.resource) {
            set(parent, key, reference(v));
        } else if (sig === SIGNATURES.byteString) {
            set(parent, key, byteString(v));
        } else if (sig === SIGNATURES.float) {
            set(parent, key, float(v));
        } else {
            throw new ValueError("an object with an unrecognized signature (the engine refuses a state holding one)");
        }
    };
    try {
        for (let item = todo.pop(); item; item = todo.pop()) {
            convert(item);
        }
    } catch (e) {
        throw e instanceof ValueError && prop !== "" ? new ValueError(`property ${JSON.stringify(prop)}: ${e.message}`) : e;
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
export { STACK_TYPE } from "../../policies/values/wire";

/** A StackResource from its parts, its outputs encoded for AnalyzeStack (and not kept). */
export function stackResource(r: Omit<StackResource, "stackEntry"> & { outputs: Record<string, unknown> }): StackResource {
    const { outputs, ...rest } = r;
    return { ...rest, stackEntry: encodeAnalyzerResource({ ...rest, props: outputs }) };
}
