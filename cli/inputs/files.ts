/**
 * Folders of input files (a trail's S3 layout, gzip-compressed as CloudTrail delivers them:
 * cli/inputs/source.ts decompresses).
 */
import * as fs from "fs";
import * as path from "path";

/** Whether a symbolic link leads to a file; a link that cannot be followed is reported to `warn`. */
function linkedFile(p: string, warn: (message: string) => void): boolean {
    try {
        return fs.statSync(p).isFile();
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        warn(`${p}: skipped, a symbolic link that cannot be followed (${code === "ELOOP" ? "a loop" : code === "ENOENT" ? "dangling" : code ?? "unknown error"})`);
        return false;
    }
}

const JSON_FILE = /\.jsonl?(\.gz)?$/i;
/** What a trail also delivers that records no API call: digest files (integrity proofs) and Insights events. */
const NOT_CALLS = /^CloudTrail-(Digest|Insight)$|_CloudTrail-(Digest|Insight)_/;

/**
 * The `.json`, `.jsonl` and `.json.gz` files under a folder, sorted, recursively (symbolic links
 * to folders are not followed); CloudTrail digest and Insights files and folders are skipped. A
 * symbolic link that cannot be followed (a loop, a dangling link) is skipped with a warning.
 */
export function jsonFiles(dir: string, warn: (message: string) => void = () => undefined): string[] {
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
            } else if (JSON_FILE.test(e.name) && (e.isFile() || (e.isSymbolicLink() && linkedFile(p, warn)))) {
                out.push(p);
            }
        }
    };
    walk(dir);
    return out;
}
