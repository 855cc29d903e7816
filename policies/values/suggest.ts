/**
 * "Did you mean": the closest of some names to a mistyped one, for configuration errors in the
 * pack and in the check command. Names are short (setting and policy names), so an edit distance
 * over the two is cheap; names longer than 200 characters are never close to anything.
 */

/** The edit distance of two strings, ignoring letter case (one row of the usual table at a time). */
function distance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    let row = Array.from({ length: t.length + 1 }, (_, j) => j);
    for (let i = 1; i <= s.length; i++) {
        const next = [i];
        for (let j = 1; j <= t.length; j++) {
            next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1)));
        }
        row = next;
    }
    return row[t.length];
}

/** The candidate closest to `word` (a third of its letters changed at most, two at least), if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
    if (word.length > 200) {
        return undefined;
    }
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
    for (const c of candidates) {
        const d = c.length > 200 ? Infinity : distance(word, c);
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

/** ` (did you mean "x"?)`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
    const c = closest(word, candidates);
    return c === undefined ? "" : ` (did you mean ${JSON.stringify(c)}?)`;
}
