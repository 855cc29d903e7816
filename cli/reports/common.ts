/**
 * What the check command's report formats share: the tool's name, Markdown cell helpers, text
 * safe for a terminal, counts and scores, and results grouped by resource.
 */
import * as path from "path";
import type { Level } from "../protocol/protocol";
import { Evaluation, Finding, PolicyResult, Remediated, Score, score, Scores, StackResult } from "../engine/results";
import { STACK_TYPE } from "../inputs/engine-value";
import type { StackInput } from "../inputs/types";

export const TOOL_NAME = "sagemaker-isolation-check";

/** One line: line breaks as spaces (a lone carriage return is shown escaped by render()). */
function oneLine(s: string): string {
    return s.replace(/\r?\n/g, " ");
}

/**
 * Text in a Markdown table cell or line: one line, and every character Markdown could read as
 * markup escaped (a link, an image, emphasis, inline HTML or an entity renders as the text it is;
 * render() escapes control characters).
 */
export function cell(s: string): string {
    return oneLine(s).replace(/[\\`*_[\]<>!&|]/g, c => `\\${c}`);
}

/** Code in a table cell (backticks inside become quotes, pipes escaped as GFM tables need); `empty` for no text. */
export function code(s: string | undefined, empty = ""): string {
    return s === undefined || s === "" ? empty : "`" + oneLine(s).replace(/\|/g, "\\|").replace(/`/g, "'") + "`";
}

/** "1 model", "2 models". */
export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export interface Counts {
    mandatory: number;
    advisory: number;
    /** Results that an exemption made not applicable. */
    exempted: number;
    /** Remediations applied (a resource changed by two policies counts twice). */
    remediated: number;
}

export function counts(stacks: StackResult[]): Counts {
    const findings = stacks.flatMap(s => s.findings);
    return {
        mandatory: findings.filter(f => f.level === "mandatory").length,
        advisory: findings.filter(f => f.level === "advisory").length,
        exempted: stacks.reduce((n, s) => n + s.results.filter(r => r.outcome === "exempted").length, 0),
        remediated: stacks.reduce((n, s) => n + s.remediated.length, 0),
    };
}

/** "N mandatory, N advisory, N exempted", and the remediations if there are any. */
export function countsText(c: Counts): string {
    return `${c.mandatory} mandatory, ${c.advisory} advisory, ${c.exempted} exempted${c.remediated ? `, ${c.remediated} remediated` : ""}`;
}

export function percent(s: Score): string {
    return s.percent === null ? "n/a" : `${s.percent}%`;
}

/**
 * Both compliance scores, as Pulumi Cloud defines them: of one stack, or (`total`) of several,
 * summed (totalScores), where a policy counts once per stack it applies to.
 */
export function scoresText(s: Scores, total = false): string {
    const counted = total ? "stack × policy results" : "applicable policies";
    return `Policy compliance ${percent(s.policies)} (${s.policies.part} of ${s.policies.whole} ${counted} passing), ` +
        `resource compliance ${percent(s.resources)} (${s.resources.part} of ${s.resources.whole} governed resources compliant)`;
}

const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text safe to print on a terminal: every C0 and C1 control character, DEL, the line and
 * paragraph separators (U+2028, U+2029) and the bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069) shown escaped, e.g. `\n`, `\x1b`, `\u202e`, so a field cannot
 * add lines, move the cursor or reorder what is shown. `keepNewlines` for a whole document
 * whose fields were made safe one line each (Markdown).
 */
export function terminalSafe(s: string, keepNewlines = false): string {
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    return s.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, c => {
        if (keepNewlines && c === "\n") {
            return c;
        }
        const code = c.charCodeAt(0);
        return SHORT_ESCAPES[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
    });
}

/** The least level of a finding that fails the run (--fail-on). */
export type FailOn = "advisory" | "mandatory";

/** Whether a finding at or above `failOn` remains (levels from the protocol: "remediate" fails as mandatory does). */
export function fails(e: Evaluation, failOn: FailOn = "mandatory"): boolean {
    return e.stacks.some(s => s.findings.some(f => f.level === "mandatory" || f.level === "remediate" || (failOn === "advisory" && f.level === "advisory")));
}

export function hasMandatory(e: Evaluation): boolean {
    return e.stacks.some(s => s.findings.some(f => f.level === "mandatory"));
}

/** Path of an input file as reports show it: relative to the working directory, with slashes. */
export function displayPath(file: string): string {
    const rel = path.relative(process.cwd(), path.resolve(file));
    return (rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(file) : rel).split(path.sep).join("/");
}

/** The files a stack was read from, as reports show them (several for `describe-*` outputs merged by account and region). */
export function inputPaths(input: StackInput): string[] {
    return (input.sources ?? [input.file]).map(displayPath);
}

const LEVEL_ORDER: Record<Level, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

export function sorted(findings: Finding[]): Finding[] {
    return [...findings].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
}

const OUTCOME_ORDER: Record<PolicyResult["outcome"], number> = { "failed": 0, "exempted": 1, "passed": 2, "not-applicable": 3 };

export interface ResourceGroup {
    urn: string;
    name: string;
    type: string;
    findings: Finding[];
    results: PolicyResult[];
    remediated: Remediated[];
}

/** Whether any policy applies to the group: it passed or failed one, or an exemption covers it. */
export function governed(g: ResourceGroup): boolean {
    return g.findings.length > 0 || g.remediated.length > 0 || g.results.some(r => r.outcome !== "not-applicable");
}

/**
 * Findings, results and remediations grouped by URN, in the order resources appear in the
 * stack, the stack's own last.
 */
export function byResource(s: StackResult): ResourceGroup[] {
    const groups = new Map<string, ResourceGroup>();
    const group = (urn: string, name: string, type: string) => {
        let g = groups.get(urn);
        if (!g) {
            groups.set(urn, g = { urn, name: name || stackLabel(s.input), type: type || STACK_TYPE, findings: [], results: [], remediated: [] });
        }
        return g;
    };
    for (const r of s.input.resources) {
        group(r.urn, r.name, r.type);
    }
    for (const x of s.remediated) {
        group(x.urn, x.resourceName, x.resourceType).remediated.push(x);
    }
    for (const r of s.results) {
        group(r.urn, r.resourceName, r.resourceType).results.push(r);
    }
    for (const f of s.findings) {
        group(f.urn, f.resourceName, f.resourceType).findings.push(f);
    }
    // Every resource of the stack went in first, in order; the stack's own group comes after.
    return [...groups.values()]
        .map(g => ({ ...g, findings: sorted(g.findings), results: [...g.results].sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]) }));
}

/**
 * The resources no resource policy judged, in two lists with their headings: those no policy
 * applies to, and those read with `.get()`, which the engine does not analyze.
 */
export function ungoverned(s: StackResult, groups: ResourceGroup[]): [string, ResourceGroup[]][] {
    const read = new Set(s.input.resources.filter(r => r.external).map(r => r.urn));
    const others = groups.filter(g => g.type !== STACK_TYPE && !governed(g));
    return ([
        ["No policy applies to", others.filter(g => !read.has(g.urn))],
        ["Read with .get(), so not analyzed by the resource policies (the stack policy sees them):", others.filter(g => read.has(g.urn))],
    ] as [string, ResourceGroup[]][]).filter(([, list]) => list.length > 0);
}

/** At most `max` names, then "and N more". */
export function some(names: string[], max = 8): string {
    return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

export function summaryLine(e: Evaluation): string {
    const resources = e.stacks.reduce((n, s) => n + s.input.resources.length, 0);
    return `${plural(e.stacks.length, "stack")}, ${plural(resources, "resource")}: ${countsText(counts(e.stacks))}. ` +
        scoresText(totalScores(e), true);
}

/** How reports name a stack's own results (those about no resource). */
export function stackLabel(input: StackInput): string {
    return `stack ${input.stack} (project ${input.project})`;
}

/**
 * The scores of all stacks together: sums of their parts and wholes. The policy score's then
 * counts (stack, policy) pairs: a policy that applies in three stacks counts three times, once
 * per stack, passing where it failed nowhere in that stack.
 */
export function totalScores(e: Evaluation): Scores {
    const sum = (pick: (s: Scores) => Score) => score(
        e.stacks.reduce((n, s) => n + pick(s.scores).part, 0), e.stacks.reduce((n, s) => n + pick(s.scores).whole, 0));
    return { policies: sum(s => s.policies), resources: sum(s => s.resources) };
}

export const REMEDIATED = "inputs changed by this policy's remediation before the policies checked them";
