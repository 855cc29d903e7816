/**
 * A trail's coverage per account and Region, from its log files' names: CloudTrail names each
 * file `ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz` (under
 * `AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`) and delivers one every few minutes
 * while there is activity, so a day between the first and the last file's day with no file of
 * that Region means the records are incomplete or were not all collected. Output without files
 * (`lookup-events`, single events) has no days: its coverage is its events' span. No regular
 * expression; the days are sorted once (as many as the files at most) and walked once.
 */
import * as path from "path";
import { isAccount, isRegion, parseInstant } from "./instant";

/** A trail log file's account, Region and UTC day (YYYY-MM-DD), from its name; undefined if it is not named as a trail names it. */
export function logFileDay(file: string): { account: string; region: string; day: string } | undefined {
    const parts = path.basename(file).split("_");
    if (parts.length !== 5 || parts[1] !== "CloudTrail" || !isAccount(parts[0]) || !isRegion(parts[2]) || !/\.json(\.gz)?$/i.test(parts[4])) {
        return undefined;
    }
    const t = parts[3];
    if (t.length !== 14 || t[8] !== "T" || t[13] !== "Z") {
        return undefined;
    }
    const instant = parseInstant(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:00Z`);
    return instant && { account: parts[0], region: parts[2], day: instant.iso.slice(0, 10) };
}

/** At most this many days without a log file are named per Region; the rest are counted. */
export const LISTED_DAYS = 10;

const DAY_MS = 86400000;

/** The days between the first and last of `days` (YYYY-MM-DD) that are not among them: the first LISTED_DAYS named, all counted. */
export function daysWithoutLogFile(days: readonly string[]): { count: number; listed: string[] } {
    const sorted = [...new Set(days)].sort();
    const listed: string[] = [];
    let count = 0;
    for (let i = 1; i < sorted.length; i++) {
        const from = Date.parse(`${sorted[i - 1]}T00:00:00Z`);
        const missing = Math.round((Date.parse(`${sorted[i]}T00:00:00Z`) - from) / DAY_MS) - 1;
        for (let d = 1; d <= missing && listed.length < LISTED_DAYS; d++) {
            listed.push(new Date(from + d * DAY_MS).toISOString().slice(0, 10));
        }
        count += missing;
    }
    return { count, listed };
}

/** The line that says a Region's days without a log file (for the Evidence and a warning), or undefined when it has none. */
export function gapLine(account: string, region: string, days: readonly string[]): string | undefined {
    const { count, listed } = daysWithoutLogFile(days);
    if (count === 0) {
        return undefined;
    }
    const more = count - listed.length;
    return `${region} (${account}): no log file for ${listed.join(", ")}${more > 0 ? `, and ${more} more day${more === 1 ? "" : "s"}` : ""} ` +
        `between ${days[0]} and ${days[days.length - 1]} (the trail's files of those days are missing or were not collected: its records are incomplete)`;
}
