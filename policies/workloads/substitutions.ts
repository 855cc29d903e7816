/**
 * An aws-native state machine's `definitionSubstitutions`, applied as CloudFormation applies
 * them. Every scan here is a single pass by index over the text (no regular expression that
 * could revisit a position), so a definition of Step Functions' maximum size, 1 MiB, of any
 * shape takes time linear in its size.
 */
import { Automaton } from "../lib/automaton";
import { UNKNOWN_SENTINEL } from "../lib/sentinels";
import { isObj, isSentinel, label, SEALED_STRING } from "../lib/values";
import { Labeller } from "./documents";
import { UnreadablePart } from "./types";

const UNKNOWN_TOKEN = JSON.stringify(UNKNOWN_SENTINEL);

const DOLLAR = 0x24;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** What `\s` matches in a JavaScript regular expression. */
function isSpace(c: number): boolean {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
        || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** What `.` does not match in a JavaScript regular expression without the `s` flag. */
function isLineTerminator(c: number): boolean {
    return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/** The position of the first `code` in text[from, to), or -1. */
function indexIn(text: string, code: number, from: number, to: number): number {
    for (let i = from; i < to; i++) {
        if (text.charCodeAt(i) === code) {
            return i;
        }
    }
    return -1;
}

/** Where `\s*:` matching at `at` ends, or -1 if it does not match. */
function colonAfter(text: string, at: number): number {
    let k = at;
    while (k < text.length && isSpace(text.charCodeAt(k))) {
        k++;
    }
    return k < text.length && text.charCodeAt(k) === COLON ? k + 1 : -1;
}

/**
 * The references of text[from, to) as `/\$\{([^}]*)\}/g` finds them (`${` and everything up
 * to the next `}`, which may hold another `${`), each replaced by `replace(key)` unless that
 * is undefined; the result goes to `parts`. Once no `}` follows a `${`, none follows any later
 * one either, so the scan stops there: each position is read once.
 */
function references(text: string, from: number, to: number, parts: string[], replace: (key: string) => string | undefined): void {
    let copied = from;
    for (let i = from; i + 1 < to; i++) {
        if (text.charCodeAt(i) !== DOLLAR || text.charCodeAt(i + 1) !== OPEN) {
            continue;
        }
        const close = indexIn(text, CLOSE, i + 2, to);
        if (close < 0) {
            break;
        }
        const v = replace(text.slice(i + 2, close));
        if (v !== undefined) {
            parts.push(text.slice(copied, i), v);
            copied = close + 1;
        }
        i = close;
    }
    parts.push(text.slice(copied, to));
}

export interface Substituted {
    text: string;
    /** How to show state names: each substituted value as its `${name}` (a value may be a secret). */
    name?: Labeller;
    /** Why the text cannot be read if it does not parse. */
    invalid: UnreadablePart["why"];
}

/**
 * An aws-native state machine's `definitionSubstitutions` applied as CloudFormation applies
 * them: every `${key}` of the map is replaced by its value as text, anywhere in the definition
 * (inside strings or not: `"EnableNetworkIsolation": ${Isolate}`), again until nothing changes;
 * then the result is parsed. A key not in the map stays as it is.
 *
 * A value not known yet (or any reference, when the whole map is not known) becomes the
 * engine's unknown: inside a string the sentinel takes the reference's place (the string then
 * reads as unknown, while `arn:${partition}:states:::sagemaker:...` still names its task);
 * outside a string it becomes the unknown string token. Object keys keep `${key}`, so state
 * names show it and two of them never collide. If the text does not parse once unknowns are
 * placed, it is not known yet rather than invalid: the value may be what makes it valid.
 */
export function substitute(text: string, subs: unknown): Substituted {
    const values = new Map<string, string>();
    const unknown = new Set<string>();
    const allUnknown = isSentinel(subs);
    if (isObj(subs)) {
        for (const [k, v] of Object.entries(subs)) {
            if (isSentinel(v)) {
                unknown.add(k);
            } else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
                values.set(k, String(v));
            }
        }
    }
    const used = new Map<string, string>();
    let out = text;
    // A value may hold references itself; CloudFormation repeats, failing on a cycle (bounded
    // here). A value that refers to itself twice doubles the text on each pass: past twice the
    // text and 2 MiB (Step Functions takes definitions up to 1 MiB) it cannot be read.
    const limit = 2 * text.length + 2 * 1024 * 1024;
    for (let pass = 0, again = values.size > 0; again && pass <= values.size; pass++) {
        if (out.length > limit) {
            return { text: "", invalid: "substituted" }; // "" does not parse: not readable once substituted
        }
        again = false;
        let changed = false;
        let length = 0;
        const parts: string[] = [];
        const source = out;
        references(source, 0, source.length, parts, k => {
            const v = values.get(k);
            if (v === undefined) {
                return undefined;
            }
            again ||= v.includes("${");
            changed ||= v.length !== k.length + 3 || !v.startsWith("${") || !v.startsWith(k, 2) || !v.endsWith("}");
            if (v !== "" && !used.has(v)) {
                used.set(v, k);
            }
            length += v.length;
            return v;
        });
        if (!changed) {
            break; // the same text again: every later pass would give it too
        }
        if (again && pass < values.size && length > limit) {
            return { text: "", invalid: "substituted" }; // what the next pass would say, before building the text
        }
        out = parts.join("");
    }
    let placed = false;
    if (allUnknown || unknown.size > 0) {
        const isUnknown = (k: string) => allUnknown || unknown.has(k);
        const toSentinel = (k: string) => {
            if (!isUnknown(k)) {
                return undefined;
            }
            placed = true;
            return UNKNOWN_SENTINEL;
        };
        out = placeUnknowns(out, isUnknown, toSentinel, () => placed = true);
    }
    return {
        text: out,
        name: used.size === 0 ? undefined : unsubstituted(used),
        invalid: placed ? "preview" : out === text ? "invalid" : "substituted",
    };
}

/**
 * The references to unknown values placed, as one pass of
 * `/("(?:[^"\\]|\\.)*")(\s*:)?|\$\{([^}"]*)\}(\s*:)?/g` would place them: a string literal
 * (and the colon after it, if it is an object key) or a reference outside one, leftmost first.
 * Where a string or a reference starting at one position finds no end, every string (or
 * reference) starting before the point where it stopped stops there too (it reads the same
 * characters from then on), so those are not read again: each position is read a bounded
 * number of times.
 */
function placeUnknowns(text: string, isUnknown: (k: string) => boolean, toSentinel: (k: string) => string | undefined,
    place: () => void): string {
    const n = text.length;
    const parts: string[] = [];
    let copied = 0;
    let stringsFailBefore = 0; // a string starting before this position has no end
    let referencesFailBefore = 0; // a reference starting before this position has no end
    for (let i = 0; i < n;) {
        const c = text.charCodeAt(i);
        if (c === QUOTE && i >= stringsFailBefore) {
            let j = i + 1;
            let end = -1;
            while (j < n) {
                const d = text.charCodeAt(j);
                if (d === QUOTE) {
                    end = j;
                    break;
                }
                if (d === BACKSLASH) {
                    if (j + 1 < n && !isLineTerminator(text.charCodeAt(j + 1))) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j++;
            }
            if (end < 0) {
                stringsFailBefore = j;
                i++;
                continue;
            }
            const colon = colonAfter(text, end + 1);
            if (colon >= 0) {
                i = colon; // an object key keeps its references
                continue;
            }
            parts.push(text.slice(copied, i));
            references(text, i, end + 1, parts, toSentinel);
            copied = i = end + 1;
        } else if (c === DOLLAR && i + 1 < n && text.charCodeAt(i + 1) === OPEN && i >= referencesFailBefore) {
            let j = i + 2;
            while (j < n && text.charCodeAt(j) !== CLOSE && text.charCodeAt(j) !== QUOTE) {
                j++;
            }
            if (j === n || text.charCodeAt(j) === QUOTE) {
                referencesFailBefore = j;
                i++;
                continue;
            }
            const colon = colonAfter(text, j + 1);
            const key = text.slice(i + 2, j);
            if (isUnknown(key)) {
                place();
                parts.push(text.slice(copied, i), colon >= 0 ? JSON.stringify(text.slice(i, j + 1)) + text.slice(j + 1, colon) : UNKNOWN_TOKEN);
                copied = colon >= 0 ? colon : j + 1;
            }
            i = colon >= 0 ? colon : j + 1;
        } else {
            i++;
        }
    }
    parts.push(text.slice(copied));
    return parts.join("");
}

/**
 * Where a definition's substitutions hold a secret `pulumi policy analyze` could not decrypt
 * and the text refers to it: the whole map, or the first such value. The definition then
 * cannot be read (its values are the secret's).
 */
export function sealedReference(text: string, subs: unknown): string | undefined {
    if (subs === SEALED_STRING) {
        return "definitionSubstitutions";
    }
    const sealed = isObj(subs) ? Object.keys(subs).filter(k => subs[k] === SEALED_STRING) : [];
    if (sealed.length === 0) {
        return undefined;
    }
    // One pass over the text for all of them, not one per key.
    const found = new Set(new Automaton(sealed.map(key => "${" + key + "}"), false).found(text));
    const k = sealed.find((_, i) => found.has(i));
    return k === undefined ? undefined : `definitionSubstitutions.${label(k)}`;
}

/**
 * A labeller that shows each of the `used` values (value → substitution name) as `${name}`,
 * in the form it has in the text and as a JSON string decodes it (`a\"b` reads `a"b`): from
 * left to right, the longest value that starts at each place (the leftmost, longest match of
 * all of them), in time linear in the name.
 */
function unsubstituted(used: Map<string, string>): Labeller {
    const forms = new Map(used);
    for (const [v, k] of used) {
        try {
            const decoded: unknown = JSON.parse(`"${v}"`);
            if (typeof decoded === "string" && decoded !== "" && !forms.has(decoded)) {
                forms.set(decoded, k);
            }
        } catch {
            // Not valid inside a JSON string: it cannot appear decoded in a name.
        }
    }
    const values = [...forms.keys()];
    let automaton: Automaton | undefined;
    return s => {
        if (typeof s !== "string") {
            return label(s);
        }
        automaton ??= new Automaton(values, true);
        const longest = automaton.longestStarting(s);
        let out = "";
        let copied = 0;
        for (let i = 0; i < s.length;) {
            const v = longest[i] - 1;
            if (v < 0) {
                i++;
                continue;
            }
            out += s.slice(copied, i) + "${" + forms.get(values[v])! + "}";
            copied = i += values[v].length;
        }
        return label(out + s.slice(copied));
    };
}
