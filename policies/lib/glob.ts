/**
 * Globs where `*` stands for any characters (there is no other wildcard and no escape), matched
 * in time linear in pattern and subject: an exemption pattern with many stars on a long URN
 * must not stall a preview.
 */

/**
 * Where `needle` (not empty) first occurs in `hay` at or after `from` and ending at or before
 * `end`, or -1. Knuth–Morris–Pratt: O(|needle| + characters scanned), never a rescan.
 */
function find(hay: string, needle: string, from: number, end: number): number {
    const m = needle.length;
    const fail = new Int32Array(m); // fail[i]: length of the longest proper border of needle[0..i]
    for (let i = 1, k = 0; i < m; i++) {
        const c = needle.charCodeAt(i);
        while (k > 0 && needle.charCodeAt(k) !== c) {
            k = fail[k - 1];
        }
        if (needle.charCodeAt(k) === c) {
            k++;
        }
        fail[i] = k;
    }
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
    const last = pattern.lastIndexOf("*");
    const prefix = pattern.slice(0, first);
    const suffix = pattern.slice(last + 1);
    if (prefix.length + suffix.length > subject.length || !subject.startsWith(prefix) || !subject.endsWith(suffix)) {
        return false;
    }
    const end = subject.length - suffix.length;
    let at = prefix.length;
    for (let p = first + 1; p <= last;) {
        const star = pattern.indexOf("*", p);
        if (star > p) {
            const found = find(subject, pattern.slice(p, star), at, end);
            if (found < 0) {
                return false;
            }
            at = found + star - p;
        }
        p = star + 1;
    }
    return true;
}
