/**
 * Globs where `*` stands for any characters (there is no other wildcard and no escape), matched
 * in time linear in pattern and subject: an exemption pattern with many stars on a long URN
 * must not stall a preview.
 */

/** A pattern split at its stars, each piece between them with its KMP failure table. */
interface Compiled {
    prefix: string;
    suffix: string;
    pieces: { text: string; fail: Int32Array }[];
}

/** fail[i]: the length of the longest proper border of needle[0..i]. */
function failures(needle: string): Int32Array {
    const fail = new Int32Array(needle.length);
    for (let i = 1, k = 0; i < needle.length; i++) {
        const c = needle.charCodeAt(i);
        while (k > 0 && needle.charCodeAt(k) !== c) {
            k = fail[k - 1];
        }
        if (needle.charCodeAt(k) === c) {
            k++;
        }
        fail[i] = k;
    }
    return fail;
}

/**
 * Where `needle` first occurs in `hay` at or after `from` and ending at or before `end`, or -1.
 * Knuth–Morris–Pratt: O(characters scanned), never a rescan.
 */
function find(hay: string, needle: string, fail: Int32Array, from: number, end: number): number {
    const m = needle.length;
    for (let i = from, k = 0; i < end; i++) {
        const c = hay.charCodeAt(i);
        while (k > 0 && needle.charCodeAt(k) !== c) {
            k = fail[k - 1];
        }
        if (needle.charCodeAt(k) === c && ++k === m) {
            return i - m + 1;
        }
    }
    return -1;
}

function compile(pattern: string, first: number): Compiled {
    const last = pattern.lastIndexOf("*");
    const pieces = pattern.slice(first + 1, last).split("*").filter(p => p !== "").map(text => ({ text, fail: failures(text) }));
    return { prefix: pattern.slice(0, first), suffix: pattern.slice(last + 1), pieces };
}

// The same few patterns are matched against every resource: each is compiled once (short ones
// only, and a bounded number of them).
const COMPILED = new Map<string, Compiled>();
const CACHE_PATTERNS = 4096;
const CACHE_LENGTH = 1024;

/**
 * Whether `subject` matches `pattern`, where `*` stands for any characters (UTF-16 code units,
 * as a regular expression without the `u` flag reads them). The text before the first `*` is a
 * prefix, the text after the last a suffix, and each piece between is found leftmost after the
 * one before it (taking the leftmost place never loses a match): O(|pattern| + |subject|).
 */
export function matches(pattern: string, subject: string): boolean {
    const first = pattern.indexOf("*");
    if (first < 0) {
        return pattern === subject;
    }
    let c = COMPILED.get(pattern);
    if (!c) {
        c = compile(pattern, first);
        if (pattern.length <= CACHE_LENGTH) {
            if (COMPILED.size >= CACHE_PATTERNS) {
                COMPILED.clear();
            }
            COMPILED.set(pattern, c);
        }
    }
    const { prefix, suffix } = c;
    if (prefix.length + suffix.length > subject.length || !subject.startsWith(prefix) || !subject.endsWith(suffix)) {
        return false;
    }
    const end = subject.length - suffix.length;
    let at = prefix.length;
    for (const piece of c.pieces) {
        const found = find(subject, piece.text, piece.fail, at, end);
        if (found < 0) {
            return false;
        }
        at = found + piece.text.length;
    }
    return true;
}
