/**
 * Reading resource properties and SageMaker request documents without ever throwing.
 *
 * The policy SDK hands policies a proxy that throws `UnknownValueError` on any unknown
 * (preview) value. We read the proxy's target instead and recognise the engine's unknown
 * sentinels ourselves, so an unknown value is a value like any other: `UNKNOWN`.
 * Values a SageMaker Pipeline or Step Functions state machine computes at run time
 * (`{"Get": ...}`, `"Key.$"`, JSONata `{% ... %}`) are `DYNAMIC`. A secret that
 * `pulumi policy analyze` could not decrypt (it sends the string `"[secret]"`) is `SEALED`. A
 * member AWS's records of a resource do not hold (the check command sends UNRECORDED_STRING for
 * it) is `UNRECORDED`.
 */
import { UNKNOWN_SENTINEL, UNKNOWN_SENTINELS } from "./sentinels";

/** A value not known during preview (the pack's marker for it; the engine sends UNKNOWN_SENTINEL). */
export const UNKNOWN: unique symbol = Symbol("unknown");
/** A value a pipeline or state machine sets at run time. */
export const DYNAMIC: unique symbol = Symbol("dynamic");
/** A secret the state could not be decrypted for: neither a preview unknown nor a value. */
export const SEALED: unique symbol = Symbol("sealed");
/** A member the records a resource was read from (AWS Config) do not hold: neither a value nor absent. */
export const UNRECORDED: unique symbol = Symbol("unrecorded");
export type Opaque = typeof UNKNOWN | typeof DYNAMIC | typeof SEALED | typeof UNRECORDED;

/**
 * Why a value cannot be read, the one type for it across the pack: `preview`, not known until
 * the update (the engine's unknown); `sealed`, a secret `pulumi policy analyze` could not decrypt;
 * `unrecorded`, a member AWS Config does not record (the check command's AWS records only).
 * A policy never judges such a value: it reports a note (see ../wire.ts `unreadableNote`).
 */
export type Unreadable = "preview" | "sealed" | "unrecorded";

/** Why a value read from a resource or document (`UNKNOWN`, `SEALED`, `UNRECORDED`) cannot be read, if it cannot. */
export function unreadable(v: unknown): Unreadable | undefined {
    return v === UNKNOWN ? "preview" : v === SEALED ? "sealed" : v === UNRECORDED ? "unrecorded" : undefined;
}

/** The same for a value as the engine (or the check command) sends it: an unknown sentinel, `"[secret]"`, UNRECORDED_STRING. */
export function unreadableRaw(v: unknown): Unreadable | undefined {
    return isSentinel(v) ? "preview" : v === SEALED_STRING ? "sealed" : v === UNRECORDED_STRING ? "unrecorded" : undefined;
}

/** What `pulumi policy analyze` sends in place of a secret it cannot decrypt. */
export const SEALED_STRING = "[secret]";

/**
 * What the check command sends for a member its kind's AWS Config items do not record (an
 * endpoint configuration's EnableNetworkIsolation): not absent (that would be a false "not set"),
 * not a preview unknown (it never becomes known), but a note that names AWS Config.
 */
export const UNRECORDED_STRING = "[not recorded by AWS Config]";

const SENTINELS: ReadonlySet<string> = new Set(UNKNOWN_SENTINELS);

/** Whether `v` is one of the engine's unknown sentinels. */
export function isSentinel(v: unknown): boolean {
    return typeof v === "string" && v.length === 36 && SENTINELS.has(v);
}

export function isOpaque(v: unknown): v is Opaque {
    return v === UNKNOWN || v === DYNAMIC || v === SEALED || v === UNRECORDED;
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The plain object behind the SDK's property proxies (the SDK may stack two of them, one
 * for unknowns and one for secrets). Never throws; a non-proxy is returned as it is.
 */
export function unwrap(props: unknown): unknown {
    let v = props;
    for (let i = 0; i < 4 && typeof v === "object" && v !== null; i++) {
        try {
            const p = v as Obj;
            if (p["__isSpecialProxy"] !== true) {
                break;
            }
            v = p["__getSpecialProxyTarget"];
        } catch {
            break;
        }
    }
    return v;
}

/**
 * How a document names and computes its values.
 * - `camel`: Pulumi resource properties (`enableNetworkIsolation`); unknowns are sentinels.
 * - `pipeline`: SageMaker Pipeline step arguments (`EnableNetworkIsolation`, `{"Get": ...}`).
 * - `asl`: Step Functions task parameters (`"EnableNetworkIsolation.$"`, `{% jsonata %}`).
 */
export type Dialect = "camel" | "pipeline" | "asl";

/** An API member name (PascalCase) as `dialect` spells it. */
export function keyIn(dialect: Dialect, key: string): string {
    if (dialect !== "camel") {
        return key;
    }
    let k = CAMEL.get(key);
    if (k === undefined) {
        k = key.charAt(0).toLowerCase() + key.slice(1);
        if (CAMEL.size < 4096) {
            CAMEL.set(key, k);
        }
    }
    return k;
}

/** camelCase spellings of the member names read (the pack's own names: a small set, bounded all the same). */
const CAMEL = new Map<string, string>();

function isPipelineExpr(v: Obj): boolean {
    for (const k in v) {
        if (k === "Get" || k.startsWith("Std:")) {
            return true;
        }
    }
    return false;
}

/**
 * Classify one raw value in a dialect: a sentinel or a run-time expression becomes opaque. So
 * does a string with the unknown sentinel inside (a state machine substitution not known yet).
 */
export function classify(dialect: Dialect, v: unknown): unknown {
    if (isSentinel(v) || (typeof v === "string" && v.length > 36 && v.includes(UNKNOWN_SENTINEL))) {
        return UNKNOWN;
    }
    if (dialect === "camel" && v === SEALED_STRING) {
        return SEALED;
    }
    if (dialect === "camel" && v === UNRECORDED_STRING) {
        return UNRECORDED;
    }
    if (dialect === "pipeline" && isObj(v) && isPipelineExpr(v)) {
        return DYNAMIC;
    }
    if (dialect === "asl" && typeof v === "string" && v.startsWith("{%") && v.trimEnd().endsWith("%}")) {
        return DYNAMIC;
    }
    return v;
}

/**
 * Reads `key` (an API member name, PascalCase) from `obj` in `dialect`. `raw` keeps the key as
 * it is (map keys such as environment variable names). Opaque containers yield opaque values.
 */
export function read(dialect: Dialect, obj: unknown, key: string, raw = false): unknown {
    if (isOpaque(obj)) {
        return obj;
    }
    if (!isObj(obj)) {
        return undefined;
    }
    const k = raw ? key : keyIn(dialect, key);
    const v = Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
    if (v === undefined && dialect === "asl" && Object.prototype.hasOwnProperty.call(obj, k + ".$")) {
        return DYNAMIC;
    }
    return classify(dialect, v);
}

/** Reads an array member: opaque, an array of classified items, or undefined. */
export function readList(dialect: Dialect, obj: unknown, key: string): unknown[] | Opaque | undefined {
    const v = read(dialect, obj, key);
    if (isOpaque(v)) {
        return v;
    }
    return Array.isArray(v) ? v.map(x => classify(dialect, x)) : undefined;
}

/** A string value, opaque, or undefined (for anything else). */
export function asString(v: unknown): string | Opaque | undefined {
    return typeof v === "string" || isOpaque(v) ? v : undefined;
}

/** Property paths for messages: `a.b[2](Name).c`. */
export function join(base: string, key: string): string {
    return base ? `${base}.${key}` : key;
}

const PATH_MAX = 320;

/**
 * A document path kept short enough for a one-line message: past PATH_MAX characters the
 * middle of a deeply nested path becomes `...`, keeping where it starts and where it ends.
 */
export function shortPath(path: string): string {
    return path.length <= PATH_MAX ? path : `${path.slice(0, 100)}...${path.slice(-(PATH_MAX - 103))}`;
}

/** How messages list things: "A", "A and B", "A, B and C". */
export function inWords(items: readonly string[]): string {
    return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}` : items.join("");
}

/** A name safe to put in a one-line message: printable, at most 64 characters. */
export function label(s: unknown): string {
    const t = typeof s === "string" ? s.replace(/[^\x20-\x7e]/g, "?") : "?";
    return t.length > 64 ? t.slice(0, 61) + "..." : t;
}
