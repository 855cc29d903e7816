/**
 * An aws-native state machine's `definitionSubstitutions`, applied as CloudFormation applies
 * them. Every scan here is a single pass by index over the text (no regular expression that
 * could revisit a position), and each substitution's value is expanded once, so a definition of
 * Step Functions' maximum size, 1 MiB, of any shape (and any map) takes time linear in its size,
 * the map's and the result's.
 */
import { Automaton } from "../values/automaton";
import { UNKNOWN_SENTINEL } from "../values/sentinels";
import { isObj, isSentinel, label, SEALED_STRING } from "../values/values";
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
 * A key of the map (or the definition itself) as its value's text is expanded, once: every
 * reference to the key shares it. `literals[i]` comes before the reference `refs[i]` (read when
 * the key is first reached), the last literal after them all; `length` is the expansion's length
 * (at most the cap it was measured with), `pieces` what it writes (literals and the expansions
 * of keys, none empty), `via` the expansion it only passes through to (when all it writes is one
 * other key's expansion), so that a chain of such keys is not walked again at every use.
 */
interface Expansion {
    key: string;
    value: string;
    state: "new" | "open" | "done";
    literals: string[];
    refs: Expansion[];
    length: number;
    pieces: (string | Expansion)[];
    via?: Expansion;
    /** The expansion as text, once the definition needed it. */
    text?: string;
}

interface Frame {
    e: Expansion;
    next: number;
}

/** `e`'s value read: its references (as `references` finds them) to keys `of` knows, not yet expanded. */
function read(e: Expansion, of: (k: string) => Expansion | undefined): void {
    const parts: string[] = [];
    // `parts` alternates the text around references with what replaced them: "" for each key.
    references(e.value, 0, e.value.length, parts, k => {
        const ref = of(k);
        if (ref === undefined) {
            return undefined;
        }
        e.refs.push(ref);
        return "";
    });
    e.literals = parts.filter((_, i) => i % 2 === 0);
}

/** `e`'s length and pieces, its references' expansions measured already; a length past `cap` is `cap`. */
function measure(e: Expansion, cap: number): void {
    let length = 0;
    for (let i = 0; i < e.literals.length; i++) {
        const literal = e.literals[i];
        if (literal !== "") {
            e.pieces.push(literal);
            length += literal.length;
        }
        const ref = i < e.refs.length ? e.refs[i] : undefined;
        if (ref !== undefined && ref.length > 0) {
            e.pieces.push(ref.via ?? ref);
            length = Math.min(length + ref.length, cap);
        }
    }
    e.length = Math.min(length, cap);
    const only = e.pieces.length === 1 ? e.pieces[0] : undefined;
    e.via = typeof only === "object" ? only : undefined;
}

/**
 * `e`'s expansion as text, by a walk over its pieces (with a stack, not recursion: a chain of
 * keys may be long). Every expansion it enters writes a literal or holds two pieces or more, so
 * the walk takes time linear in the text it writes.
 */
function write(e: Expansion): string {
    const parts: string[] = [];
    const stack: Frame[] = [{ e: e.via ?? e, next: 0 }];
    while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next === top.e.pieces.length) {
            stack.pop();
            continue;
        }
        const p = top.e.pieces[top.next++];
        if (typeof p === "string") {
            parts.push(p);
        } else if (p.text !== undefined) {
            parts.push(p.text);
        } else {
            stack.push({ e: p, next: 0 });
        }
    }
    return parts.join("");
}

/**
 * Each value substituted (value → the key that gave it first), in the order passes of
 * substitution would meet them: the definition's keys, then the keys their values refer to,
 * and so on (breadth first, each key once).
 */
function usedValues(whole: Expansion): Map<string, string> {
    const used = new Map<string, string>();
    const queue = [...new Set(whole.refs)];
    const seen = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
        const { key, value, refs } = queue[i];
        if (value !== "" && !used.has(value)) {
            used.set(value, key);
        }
        for (const ref of refs) {
            if (!seen.has(ref)) {
                seen.add(ref);
                queue.push(ref);
            }
        }
    }
    return used;
}

/**
 * The definition with every reference to a key of `values` replaced by the key's value, the
 * value's own references replaced first, and the values used; undefined where the definition
 * cannot be read: a circular substitution, a result past `limit`, or a result that still holds a
 * reference to a key (formed where a value meets the text around it). Each key reached is read
 * and measured once, in time linear in its value, before any text is built; the text is then
 * built in time linear in its length.
 */
function expand(text: string, values: ReadonlyMap<string, string>, limit: number): { text: string; used: Map<string, string> } | undefined {
    const expansions = new Map<string, Expansion>();
    const create = (key: string, value: string): Expansion => ({ key, value, state: "new", literals: [], refs: [], length: 0, pieces: [] });
    const of = (k: string): Expansion | undefined => {
        let e = expansions.get(k);
        const v = e === undefined ? values.get(k) : undefined;
        if (v !== undefined) {
            expansions.set(k, e = create(k, v));
        }
        return e;
    };
    const whole = create("", text);
    read(whole, of);
    if (whole.refs.length === 0) {
        return { text, used: new Map() };
    }
    // Depth first, each key once, its value's keys measured before it. A key reached again
    // while still open refers to itself.
    whole.state = "open";
    const stack: Frame[] = [{ e: whole, next: 0 }];
    while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next < top.e.refs.length) {
            const ref = top.e.refs[top.next++];
            if (ref.state === "open") {
                return undefined;
            }
            if (ref.state === "new") {
                read(ref, of);
                ref.state = "open";
                stack.push({ e: ref, next: 0 });
            }
            continue;
        }
        stack.pop();
        measure(top.e, limit + 1);
        top.e.state = "done";
    }
    if (whole.length > limit) {
        return undefined;
    }
    const parts: string[] = [];
    for (let i = 0; i < whole.literals.length; i++) {
        parts.push(whole.literals[i]);
        if (i < whole.refs.length) {
            const ref = whole.refs[i];
            parts.push(ref.text ??= write(ref));
        }
    }
    const out = parts.join("");
    let formed = false;
    references(out, 0, out.length, [], k => {
        formed ||= values.has(k);
        return undefined;
    });
    return formed ? undefined : { text: out, used: usedValues(whole) };
}

/**
 * An aws-native state machine's `definitionSubstitutions` applied as CloudFormation applies
 * them: every `${key}` of the map is replaced by its value as text, anywhere in the definition
 * (inside strings or not: `"EnableNetworkIsolation": ${Isolate}`); then the result is parsed.
 * A key not in the map stays as it is. A value may refer to keys itself: those references are
 * replaced in it first, each key's value expanded once. A key whose value refers back to it,
 * directly or through others, is a circular substitution, which CloudFormation rejects: a
 * definition that refers to it (or to a key whose value does) cannot be read ("substituted").
 *
 * References are read where they are written, in the definition or in a value: a `${` near a
 * value's end does not read on into the text after it. A reference that only forms where a
 * value meets the text around it (a value ending in `${` before `a}` in the text) would be
 * substituted in turn by CloudFormation's repeated passes; rather than follow those, a
 * definition whose substituted text holds a reference to a key of the map cannot be read. Nor
 * can one whose text would grow past twice its size and 2 MiB (Step Functions takes
 * definitions up to 1 MiB; values that each refer to the next one twice double it at every
 * step): lengths are measured before any text is built.
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
    const expanded = values.size === 0 ? { text, used: new Map<string, string>() } : expand(text, values, 2 * text.length + 2 * 1024 * 1024);
    if (expanded === undefined) {
        return { text: "", invalid: "substituted" }; // "" does not parse: not readable once substituted
    }
    const used = expanded.used;
    let out = expanded.text;
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
