/**
 * AWS's error messages as templates: AWS writes request values into them ("Value 'x' at 'y'
 * failed to satisfy constraint", "Could not find model data at s3://bucket/key"), and a report
 * must never show one. Every value-like token becomes "…": a quoted span in any quoting
 * (' " ` ‘ ’ “ ” « » ‹ › „ ‚), a token that is not a plain word (a URI, an ARN, a path, a
 * number, anything with a digit, a dot or a slash inside), and the token after "at" or "Value".
 * What stays is plain words (letters, hyphens, the apostrophe of "doesn't") and punctuation,
 * capped at `max` characters. One pass, linear in the message.
 */

const QUOTES = "'\"`\u2018\u2019\u201c\u201d\u00ab\u00bb\u2039\u203a\u201e\u201a";

/** Punctuation kept around a plain word: "(" before, ".,;:!?)" after. */
const LEADING = "([";
const TRAILING = ".,;:!?)]";

/** The endings after an apostrophe in a word ("doesn't", "it's", "we're", "you've", "we'll", "he'd", "I'm"). */
const CONTRACTIONS = ["t", "s", "re", "ve", "ll", "d", "m"];

function isLetter(c: string | undefined): boolean {
    return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
}

function isSpace(c: string): boolean {
    return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** The length of a contraction's ending after the apostrophe at `i`, or 0 if it is not one. */
function contraction(s: string, i: number): number {
    if (s[i] !== "'" && s[i] !== "\u2019" || !isLetter(s[i - 1])) {
        return 0;
    }
    for (const end of CONTRACTIONS) {
        if (s.startsWith(end, i + 1) && !isLetter(s[i + 1 + end.length]) && s[i + 1 + end.length] !== "'") {
            return end.length + 1;
        }
    }
    return 0;
}

/** Whether `w` is a plain word: letters, single hyphens between them, a contraction. */
function plainWord(w: string): boolean {
    if (w.length === 0 || w.length > 40 || !isLetter(w[0]) || !isLetter(w[w.length - 1])) {
        return false;
    }
    for (let i = 1; i < w.length - 1; i++) {
        const c = w[i];
        if (!isLetter(c) && !(c === "-" && isLetter(w[i - 1])) && contraction(w, i) === 0) {
            return false;
        }
    }
    return true;
}

/** Whether a close quote at `i` ends a span: what follows is a space, punctuation or the end. */
function closes(s: string, i: number): boolean {
    const next = s[i + 1];
    return next === undefined || isSpace(next) || TRAILING.includes(next) || QUOTES.includes(next);
}

/** `message` with every value-like token replaced by "…", at most `max` characters. */
export function messageTemplate(message: string, max = 300): string {
    let out = "";
    let i = 0;
    let hideNext = false;
    while (i < message.length && out.length <= max) {
        const c = message[i];
        if (isSpace(c)) {
            out += out.endsWith(" ") ? "" : " ";
            i++;
            continue;
        }
        if (QUOTES.includes(c) && contraction(message, i) === 0) {
            // A quoted span: up to a quote followed by a space, punctuation or the end; unclosed, the rest.
            let end = i + 1;
            while (end < message.length && !(QUOTES.includes(message[end]) && closes(message, end))) {
                end++;
            }
            out += end < message.length ? `${c}…${message[end]}` : `${c}…`;
            i = end + 1;
            hideNext = false;
            continue;
        }
        // A token: up to a space or a quote that is not a contraction's apostrophe.
        let end = i;
        while (end < message.length && !isSpace(message[end]) && !(QUOTES.includes(message[end]) && contraction(message, end) === 0)) {
            end += Math.max(1, contraction(message, end));
        }
        const token = message.slice(i, end);
        let a = 0, b = token.length;
        while (a < b && LEADING.includes(token[a])) {
            a++;
        }
        while (b > a && TRAILING.includes(token[b - 1])) {
            b--;
        }
        const word = token.slice(a, b);
        // A word glued to a quote ("x'value'", the tail of "'a' b'") is part of a value.
        const keep = !hideNext && plainWord(word) && !(end < message.length && QUOTES.includes(message[end]));
        out += token.slice(0, a) + (keep ? word : word === "" ? "" : "…") + token.slice(b);
        hideNext = word === "" ? hideNext : /^(at|value)$/i.test(word);
        i = end;
    }
    out = out.trim();
    return out.length > max || i < message.length ? `${out.slice(0, max - 1)}…` : out;
}
