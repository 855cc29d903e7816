/** Temporary folders for the tests that write files: one per suite, made before its tests and removed after. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Writes `content` (text, bytes, or JSON of an object) to `name` under `dir`, creating folders; returns the path. */
export function writeIn(dir: string, name: string, content: unknown): string {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content));
    return file;
}

/**
 * A temporary folder for the tests of the suite it is called in: made before them, removed after.
 * `write` writes a file in it (folders made as needed) and returns its path.
 */
export function tempFolder(prefix: string): { dir: () => string; write: (name: string, content: unknown) => string } {
    let tmp = "";
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    });
    after(() => {
        if (tmp) {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
    return { dir: () => tmp, write: (name, content) => writeIn(tmp, name, content) };
}
