/** The check command's report formats: text, json, sarif (2.1.0) and markdown, one file each. */
import type { Evaluation } from "../engine/results";
import { FailOn, terminalSafe } from "./common";
import { json } from "./json";
import { markdown } from "./markdown";
import { SarifOptions, sarifText } from "./sarif";
import { text } from "./text";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = typeof FORMATS[number];

/** What a report needs besides the evaluation: SARIF's options, and the level that fails the run (the Markdown headline). */
export type ReportOptions = SarifOptions & { failOn?: FailOn };

export function render(format: Format, e: Evaluation, opts: ReportOptions = {}): string {
    switch (format) {
        case "text": return text(e);
        case "json": return json(e);
        case "sarif": return sarifText(e, opts);
        case "markdown": return terminalSafe(markdown(e, opts.failOn), true);
    }
}
