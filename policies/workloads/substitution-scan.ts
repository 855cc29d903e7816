/**
 * Scanning a state machine definition's text for `${key}` references, for ./substitutions.ts:
 * single passes by index over the text (no regular expression that could revisit a position).
 */
import { UNKNOWN_SENTINEL } from "../values/sentinels";

export const UNKNOWN_TOKEN = JSON.stringify(UNKNOWN_SENTINEL);

export const DOLLAR = 0x24;
export const OPEN = 0x7b;
export const CLOSE = 0x7d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;

/** What `\s` matches in a JavaScript regular expression. */
export function isSpace(c: number): boolean {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
        || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** What `.` does not match in a JavaScript regular expression without the `s` flag. */
export function isLineTerminator(c: number): boolean {
    return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/** The position of the first `code` in text[from, to), or -1. */
export function indexIn(text: string, code: number, from: number, to: number): number {
    for (let i = from; i < to; i++) {
        if (text.charCodeAt(i) === code) {
            return i;
        }
    }
    return -1;
}

/** Where `\s*:` matching at `at` ends, or -1 if it does not match. */
export function colonAfter(text: string, at: number): number {
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
export function references(text: string, from: number, to: number, parts: string[], replace: (key: string) => string | undefined): void {
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
