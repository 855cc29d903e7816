/** Running the check command as users run it (node bin/cli/check.js; `npm test` builds bin/ first). */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const CHECK = path.join(ROOT, "bin", "cli", "check.js");

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs the command with `args` from `cwd` (the repository's root by default); never rejects. */
export function run(args: string[], cwd = ROOT): Promise<Run> {
    assert.ok(fs.existsSync(CHECK), "bin/cli/check.js is missing: run `npm run build` first");
    return new Promise(resolve => {
        execFile(process.execPath, [CHECK, ...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 110000 }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
            resolve({ code, stdout, stderr });
        });
    });
}
