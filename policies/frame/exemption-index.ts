/**
 * An index of a policy's exemption list, so that finding the entries that may cover a resource
 * costs about the length of its name and URN, not the number of entries: exact patterns in a
 * map; a pattern with `*` under its literal prefix (the text before its first `*`) or, when
 * that is shorter, its literal suffix (after its last `*`), each in a path-compressed trie; a
 * pattern that starts and ends with `*` under the longest piece between its stars, found in a
 * name by one Aho–Corasick pass for all of them; a pattern of stars only in a list that covers
 * every resource. Built once per list.
 */
import { Automaton } from "../values/automaton";

interface Node {
    /** The edge into this node (read backwards from the end of a subject, in the suffix trie). */
    edge: string;
    children?: Map<number, Node>;
    /** Entries whose literal prefix (or reversed suffix) ends here. */
    ids?: number[];
}

interface Index {
    length: number;
    exact: Map<string, number[]>;
    prefixes: Node;
    suffixes: Node;
    /** Distinct pieces of the patterns that start and end with `*`, and whose they are. */
    pieces: Automaton;
    byPiece: number[][];
    /** Entries whose pattern is stars only. */
    everywhere: number[];
}

function insert(root: Node, word: string, id: number): void {
    let node = root;
    let pos = 0;
    while (pos < word.length) {
        const c = word.charCodeAt(pos);
        node.children ??= new Map<number, Node>();
        const child = node.children.get(c);
        if (!child) {
            node.children.set(c, { edge: word.slice(pos), ids: [id] });
            return;
        }
        const edge = child.edge;
        let l = 1;
        while (l < edge.length && pos + l < word.length && edge.charCodeAt(l) === word.charCodeAt(pos + l)) {
            l++;
        }
        if (l < edge.length) {
            // Split the edge where the word leaves it.
            const mid: Node = { edge: edge.slice(0, l), children: new Map([[edge.charCodeAt(l), child]]) };
            child.edge = edge.slice(l);
            node.children.set(c, mid);
            node = mid;
        } else {
            node = child;
        }
        pos += l;
    }
    (node.ids ??= []).push(id);
}

/** The ids along the path `subject` spells from the start (or from the end, `backwards`). */
function walk(root: Node, subject: string, backwards: boolean, out: number[]): void {
    const n = subject.length;
    const at = backwards ? (k: number) => subject.charCodeAt(n - 1 - k) : (k: number) => subject.charCodeAt(k);
    let node = root;
    let pos = 0;
    while (pos < n) {
        const child = node.children?.get(at(pos));
        if (!child) {
            return;
        }
        const edge = child.edge;
        if (pos + edge.length > n) {
            return;
        }
        for (let l = 1; l < edge.length; l++) {
            if (edge.charCodeAt(l) !== at(pos + l)) {
                return;
            }
        }
        pos += edge.length;
        node = child;
        for (const id of node.ids ?? []) {
            out.push(id);
        }
    }
}

function reverse(s: string): string {
    let r = "";
    for (let i = s.length - 1; i >= 0; i--) {
        r += s[i];
    }
    return r;
}

/** The longest text between two stars of a pattern that starts and ends with `*` ("" if none). */
function longestPiece(pattern: string): string {
    let best = "";
    for (let from = 1; from < pattern.length;) {
        const star = pattern.indexOf("*", from);
        if (star - from > best.length) {
            best = pattern.slice(from, star);
        }
        from = star + 1;
    }
    return best;
}

function build(entries: readonly unknown[]): Index {
    const pieces = new Map<string, number[]>();
    const everywhere: number[] = [];
    const exact = new Map<string, number[]>();
    const prefixes: Node = { edge: "" };
    const suffixes: Node = { edge: "" };
    for (let i = 0; i < entries.length; i++) {
        const pattern = (entries[i] as { resource?: unknown } | null | undefined)?.resource;
        if (typeof pattern !== "string") {
            continue; // never applied
        }
        const first = pattern.indexOf("*");
        if (first < 0) {
            const list = exact.get(pattern);
            if (list) {
                list.push(i);
            } else {
                exact.set(pattern, [i]);
            }
            continue;
        }
        const suffixLength = pattern.length - 1 - pattern.lastIndexOf("*");
        if (first === 0 && suffixLength === 0) {
            const piece = longestPiece(pattern);
            if (piece === "") {
                everywhere.push(i);
            } else if (pieces.has(piece)) {
                pieces.get(piece)!.push(i);
            } else {
                pieces.set(piece, [i]);
            }
        } else if (first >= suffixLength) {
            insert(prefixes, pattern.slice(0, first), i);
        } else {
            insert(suffixes, reverse(pattern.slice(pattern.length - suffixLength)), i);
        }
    }
    return {
        length: entries.length, exact, prefixes, suffixes, everywhere,
        pieces: new Automaton([...pieces.keys()], false), byPiece: [...pieces.values()],
    };
}

const INDEXES = new WeakMap<readonly unknown[], Index>();

/**
 * The positions, ascending, of the entries of `entries` (exemptions: `{ resource }` objects)
 * whose pattern may match `name` or `urn`: every entry that matches is among them (an entry
 * with no string `resource` never is); the caller still matches each. The index is built once
 * per list (the policy SDK hands over the same configuration array each time), and again if
 * its length has changed.
 */
export function exemptionCandidates(entries: readonly unknown[], name: string, urn: string): number[] {
    let index = INDEXES.get(entries);
    if (!index || index.length !== entries.length) {
        INDEXES.set(entries, index = build(entries));
    }
    const out = index.everywhere.slice();
    for (const subject of name === urn ? [name] : [name, urn]) {
        const exact = index.exact.get(subject);
        for (const id of exact ?? []) {
            out.push(id);
        }
        walk(index.prefixes, subject, false, out);
        walk(index.suffixes, subject, true, out);
        for (const piece of index.pieces.found(subject)) {
            for (const id of index.byPiece[piece]) {
                out.push(id);
            }
        }
    }
    if (out.length > index.everywhere.length) {
        out.sort((a, b) => a - b);
    }
    let k = 0;
    for (let i = 0; i < out.length; i++) {
        if (i === 0 || out[i] !== out[i - 1]) {
            out[k++] = out[i];
        }
    }
    out.length = k;
    return out;
}
