/**
 * Expanding `definitionSubstitutions` for ./substitutions.ts: each key's value read and measured
 * once, in time linear in its length, before any text is built; then the text, in time linear in
 * its length.
 */
import { references } from "./substitution-scan";

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
export function expand(text: string, values: ReadonlyMap<string, string>, limit: number): { text: string; used: Map<string, string> } | undefined {
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
