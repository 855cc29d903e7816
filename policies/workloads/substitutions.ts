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
import { expand } from "./substitution-expand";
import { BACKSLASH, CLOSE, colonAfter, DOLLAR, isLineTerminator, OPEN, QUOTE, references, UNKNOWN_TOKEN } from "./substitution-scan";
import { UnreadablePart } from "./types";


/**
 * A substitution map read once: the values given (strings, numbers and booleans, as text), the
 * keys whose value is not known yet, and whether the whole map is not known yet.
 */
export function substitutionValues(subs: unknown): { values: Map<string, string>; unknown: Set<string>; allUnknown: boolean } {
    const values = new Map<string, string>();
    const unknown = new Set<string>();
    if (isObj(subs)) {
        for (const [k, v] of Object.entries(subs)) {
            if (isSentinel(v)) {
                unknown.add(k);
            } else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
                values.set(k, String(v));
            }
        }
    }
    return { values, unknown, allUnknown: isSentinel(subs) };
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
    const { values, unknown, allUnknown } = substitutionValues(subs);
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
