/**
 * Reading input files as they come: one JSON document or a sequence of them (JSON Lines, or the
 * concatenated outputs of several `aws ...` commands), and folders of such files (a trail's S3
 * layout, gzip-compressed as CloudTrail delivers them: cli/inputs/index.ts decompresses).
 */
import * as fs from "fs";
import * as path from "path";

/**
 * Where each top-level object or array of a sequence of them ends (whitespace between them);
 * undefined if the text is not such a sequence (a scalar, or an unterminated value).
 */
function valueEnds(text: string): number[] | undefined {
    const ends: number[] = [];
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (inString) {
            if (ch === 0x5c) { // backslash: skip the escaped character
                i++;
            } else if (ch === 0x22) {
                inString = false;
            }
        } else if (ch === 0x22) {
            inString = true;
        } else if (ch === 0x7b || ch === 0x5b) { // { [
            depth++;
        } else if (ch === 0x7d || ch === 0x5d) { // } ]
            if (--depth === 0) {
                ends.push(i + 1);
            } else if (depth < 0) {
                return undefined;
            }
        } else if (depth === 0 && !(ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09)) {
            return undefined;
        }
    }
    return depth === 0 && !inString ? ends : undefined;
}

/**
 * The JSON values of a text: one document, or a sequence of objects or arrays separated by
 * whitespace. Throws the parser's SyntaxError (for a sequence, naming the value).
 */
export function jsonValues(text: string): unknown[] {
    try {
        return [JSON.parse(text)];
    } catch (e) {
        const ends = valueEnds(text);
        if (ends === undefined || ends.length < 2) {
            throw e;
        }
        return ends.map((end, i) => {
            const start = i === 0 ? 0 : ends[i - 1];
            try {
                return JSON.parse(text.slice(start, end)) as unknown;
            } catch (err) {
                throw new SyntaxError(`value ${i + 1}: ${(err as Error).message.split("\n")[0]}`);
            }
        });
    }
}

const JSON_FILE = /\.jsonl?(\.gz)?$/i;
/** What a trail also delivers that records no API call: digest files (integrity proofs) and Insights events. */
const NOT_CALLS = /^CloudTrail-(Digest|Insight)$|_CloudTrail-(Digest|Insight)_/;

/**
 * The `.json`, `.jsonl` and `.json.gz` files under a folder, sorted, recursively (symbolic links
 * to folders are not followed); CloudTrail digest and Insights files and folders are skipped.
 */
export function jsonFiles(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
        for (const e of entries) {
            const p = path.join(d, e.name);
            if (NOT_CALLS.test(e.name)) {
                continue;
            }
            if (e.isDirectory()) {
                walk(p);
            } else if (JSON_FILE.test(e.name) && (e.isFile() || (e.isSymbolicLink() && fs.statSync(p, { throwIfNoEntry: false })?.isFile()))) {
                out.push(p);
            }
        }
    };
    walk(dir);
    return out;
}
