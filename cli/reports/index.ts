/** The check command's report formats: text, json, sarif (2.1.0) and markdown, one file each. */
import type { Evaluation } from "../engine/results";
import { FailOn, terminalSafe } from "./common";
import { json } from "./json";
import { markdown } from "./markdown";
import { SarifOptions, sarifText } from "./sarif";
import { text } from "./text";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = typeof FORMATS[number];

/** What each format is, in one line of the command's --help. */
export const FORMAT_HELP: Readonly<Record<Format, string>> = {
    text: "each resource's result per policy, and compliance scores (the default)",
    json: "the same for programs, with the configuration and the evidence of AWS records",
    sarif: "SARIF 2.1.0 for code scanning, with paths from the repository's root",
    markdown: "an audit report, with the evidence of AWS records",
};

/** What a report needs besides the evaluation: SARIF's options, and the level that fails the run (the Markdown headline). */
export type ReportOptions = SarifOptions & { failOn?: FailOn };

export function render(format: Format, e: Evaluation, opts: ReportOptions = {}): string {
    switch (format) {
        case "text": return text(e, opts.failOn);
        case "json": return json(e, opts.failOn);
        case "sarif": return sarifText(e, opts);
        case "markdown": return terminalSafe(markdown(e, opts.failOn), true);
    }
}
