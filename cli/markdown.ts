/** Markdown for the check command's reports (cli/report.ts, cli/evidence.ts). */

/** A table cell: one line, pipes escaped (render() escapes control characters). */
export function cell(s: string): string {
    return s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/** Code in a table cell (backticks inside become quotes); `empty` for no text. */
export function code(s: string | undefined, empty = ""): string {
    return s === undefined || s === "" ? empty : "`" + cell(s).replace(/`/g, "'") + "`";
}

/** "1 model", "2 models". */
export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}
