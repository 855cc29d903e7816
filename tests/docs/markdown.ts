/**
 * Reading the repository's Markdown as GitHub renders it, for the documentation tests: the
 * anchors a file has (headings, with GitHub's slugs, and explicit `<a id>`/`<a name>`), its
 * relative links, and whether a link resolves.
 */
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");

/** The Markdown files of the documentation: the README, docs/*.md, and the other READMEs. */
export function documentationFiles(): string[] {
    const docs = fs.readdirSync(path.join(ROOT, "docs")).filter(f => f.endsWith(".md")).sort().map(f => `docs/${f}`);
    return ["README.md", ...docs, "examples/README.md", "tests/fixtures/aws-records/README.md"];
}

/** The text with fenced code blocks blanked (line count kept), so nothing inside them counts. */
export function withoutFences(text: string): string {
    const out: string[] = [];
    let fence: { char: string; length: number } | undefined;
    for (const line of text.split("\n")) {
        const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
        if (fence) {
            if (m && m[1][0] === fence.char && m[1].length >= fence.length && /^ {0,3}[`~]+\s*$/.test(line)) {
                fence = undefined;
            }
            out.push("");
        } else if (m) {
            fence = { char: m[1][0], length: m[1].length };
            out.push("");
        } else {
            out.push(line);
        }
    }
    return out.join("\n");
}

/** The text with inline code spans blanked: a `[x](y)` inside backticks is not a link. */
export function withoutCodeSpans(text: string): string {
    return text.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, "");
}

/**
 * GitHub's anchor for a heading's text: the rendered text (code spans, links and HTML reduced to
 * their text), lower-cased, every character that is not a letter, mark, number, connector
 * (`_`), hyphen or space removed, spaces turned into hyphens.
 */
export function slug(heading: string): string {
    const text = heading
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/<[^>]+>/g, "")
        .replace(/`+/g, "");
    return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** Every anchor a Markdown file has: its headings' slugs (repeats numbered -1, -2, ...) and explicit ids and names. */
export function anchors(text: string): Set<string> {
    const found = new Set<string>();
    const seen = new Map<string, number>();
    const lines = withoutFences(text).split("\n");
    lines.forEach((line, i) => {
        const atx = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
        const setext = i > 0 && /^ {0,3}(=+|-+)[ \t]*$/.test(line) && lines[i - 1].trim() !== "" && !/^ {0,3}([-*+]|\d+[.)])\s|^\|/.test(lines[i - 1]) ? lines[i - 1] : undefined;
        const heading = atx ? atx[1] : setext;
        if (heading !== undefined) {
            const base = slug(heading);
            const n = seen.get(base) ?? 0;
            seen.set(base, n + 1);
            found.add(n === 0 ? base : `${base}-${n}`);
        }
        for (const m of line.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) {
            found.add(m[1]);
        }
    });
    return found;
}

export interface Link {
    file: string;
    line: number;
    target: string;
}

/** The links of a Markdown file that point into the repository: inline links and images, reference definitions, `<a href>`. */
export function relativeLinks(file: string, text: string): Link[] {
    const lines = withoutCodeSpans(withoutFences(text)).split("\n");
    const links: Link[] = [];
    const add = (target: string, i: number) => {
        if (!/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("//")) {
            links.push({ file, line: i + 1, target });
        }
    };
    lines.forEach((line, i) => {
        for (const m of line.matchAll(/\]\(\s*(?:<([^>]*)>|([^)\s]+))(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
            add(m[1] ?? m[2], i);
        }
        const def = /^ {0,3}\[[^\]]+\]:\s*<?([^>\s]+)>?/.exec(line);
        if (def) {
            add(def[1], i);
        }
        for (const m of line.matchAll(/<a\s[^>]*\bhref="([^"]+)"/g)) {
            add(m[1], i);
        }
    });
    return links;
}

/** Why a link does not resolve, or undefined when it does: its file must exist in the repository, its anchor in that file. */
export function brokenLink(link: Link): string | undefined {
    const [pathPart, fragment] = link.target.split("#", 2) as [string, string | undefined];
    const target = pathPart === "" ? path.join(ROOT, link.file) : path.resolve(path.dirname(path.join(ROOT, link.file)), decodeURIComponent(pathPart));
    if (path.relative(ROOT, target).startsWith("..")) {
        return "points outside the repository";
    }
    if (!fs.existsSync(target)) {
        return `${path.relative(ROOT, target)} does not exist`;
    }
    if (fragment === undefined) {
        return undefined;
    }
    if (!target.endsWith(".md")) {
        return `#${fragment} on a file that is not Markdown`;
    }
    if (!anchors(fs.readFileSync(target, "utf8")).has(decodeURIComponent(fragment))) {
        return `${path.relative(ROOT, target)} has no anchor #${fragment}`;
    }
    return undefined;
}
