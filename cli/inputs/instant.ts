/**
 * Times and Regions in AWS's records, read strictly: an ISO 8601 date and time in any spelling AWS
 * uses (`2026-11-30T03:58:12.310Z` in a Config snapshot, `2026-11-30T03:58:12.310000+00:00` from
 * the CLI, `2026-11-30T03:58:12Z` in CloudTrail) is one instant; anything else (a comma for the
 * fraction, a trailing character, a 31 February) is not a time. One pass over the text, no
 * regular expression.
 */

/** An instant: milliseconds since the epoch and the nanoseconds past them (0–999,999), and its one spelling. */
export interface Instant {
    ms: number;
    /** Nanoseconds past `ms` (a fraction of more than three digits). */
    ns: number;
    /** `YYYY-MM-DDTHH:MM:SS.fffZ` (UTC), with the fraction's further digits when it has them. */
    iso: string;
}

const ZERO = 0x30;

/** The value of `n` digits of `s` from `i`, or -1 if one of them is not a digit. */
function digits(s: string, i: number, n: number): number {
    if (i + n > s.length) {
        return -1;
    }
    let v = 0;
    for (let j = i; j < i + n; j++) {
        const d = s.charCodeAt(j) - ZERO;
        if (d < 0 || d > 9) {
            return -1;
        }
        v = v * 10 + d;
    }
    return v;
}

function daysIn(year: number, month: number): number {
    return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM|±HHMM|±HH)` (a space or `t` for the `T`, `z` for `Z`)
 * → the instant; undefined for anything else.
 */
export function parseInstant(s: string): Instant | undefined {
    const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
    const hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        second < 0 || second > 59 || s[4] !== "-" || s[7] !== "-" || !"Tt ".includes(s[10] ?? "x") || s[13] !== ":" || s[16] !== ":") {
        return undefined;
    }
    let i = 19;
    let fraction = "";
    if (s[i] === ".") {
        i++;
        while (i < s.length && fraction.length <= 9 && digits(s, i, 1) >= 0) {
            fraction += s[i++];
        }
        if (fraction.length === 0 || fraction.length > 9) {
            return undefined;
        }
    }
    let offset = 0;
    const sign = s[i];
    if (sign === "Z" || sign === "z") {
        i++;
    } else if (sign === "+" || sign === "-") {
        const oh = digits(s, i + 1, 2);
        const colon = s[i + 3] === ":" ? 1 : 0;
        const om = i + 3 === s.length ? 0 : digits(s, i + 3 + colon, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) {
            return undefined;
        }
        offset = (sign === "-" ? -1 : 1) * (oh * 60 + om);
        i += i + 3 === s.length ? 3 : 5 + colon;
    } else {
        return undefined;
    }
    if (i !== s.length) {
        return undefined;
    }
    const padded = fraction.padEnd(9, "0");
    const ms = Date.UTC(year, month - 1, day, hour, minute, second, Number(padded.slice(0, 3))) - offset * 60_000;
    const ns = Number(padded.slice(3));
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
        return undefined;
    }
    const base = new Date(ms).toISOString();
    const extra = padded.slice(3).replace(/0+$/, "");
    return { ms, ns, iso: extra !== "" ? `${base.slice(0, -1)}${extra}Z` : ns === 0 && ms % 1000 === 0 ? `${base.slice(0, -5)}Z` : base };
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
    return a.ms - b.ms || a.ns - b.ns;
}

/** Whether `s` is a Region's name as AWS spells it (`us-east-1`, `us-gov-west-1`, `eu-central-2`, `cn-north-1`). */
export function isRegion(s: string): boolean {
    if (s.length > 32) {
        return false;
    }
    const parts = s.split("-");
    const last = parts[parts.length - 1];
    return parts.length >= 3 && /^[a-z]{2}$/.test(parts[0]) && parts.slice(1, -1).every(p => /^[a-z]{1,16}$/.test(p)) && /^\d{1,2}$/.test(last);
}

/** Whether `s` is an AWS account id (twelve digits). */
export function isAccount(s: string): boolean {
    return s.length === 12 && digits(s, 0, 12) >= 0;
}
