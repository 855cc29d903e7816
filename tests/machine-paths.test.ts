/**
 * No file of the repository names a folder of the machine it was written on: a home folder
 * (`/home/…`, `/root/…`, `/Users/…`, Windows' `C:\Users`), a temporary folder (`/tmp/…`, macOS's
 * `/var/folders`) or a workspace (`/work/…`, `/workspace/…`, `/workspaces/…`). Such a path
 * means nothing on another machine and says something about this one. Generic documented paths
 * (`/dev/stdin`, `/usr/bin/…`, `/opt/ml/…`) are fine; so are paths relative to the repository.
 * The files are those Git tracks, and new ones it does not ignore.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/**
 * An absolute path under a machine's home, temporary or workspace folders: not preceded by a
 * character that would make it part of a relative path or a URL's path (a letter, digit, `.`,
 * `~`, `-`, `_`); `file:///home/…` counts.
 */
const MACHINE_PATH = new RegExp(String.raw`(?<![\w.~-])(?:/(?:home|root|Users|tmp|work|workspaces?)/[\w.@%+-]|/(?:private/)?var/folders/|[A-Za-z]:(?:\\{1,2}|/)Users(?:\\{1,2}|/))`, "g");

/** Paths that look like a machine's but are data a test needs, each with why (file, exact text). */
const ALLOWED: [string, string, string][] = [
    ["tests/cli/sarif.test.ts", ["", "home", "ci", "lib", "shared.ts"].join("/"), "a made-up absolute source position the SARIF reader must parse"],
];

function repositoryFiles(): string[] {
    const r = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.strictEqual(r.status, 0, `git ls-files: ${r.stderr || String(r.error)}`);
    return [...new Set(r.stdout.split("\0").filter(f => f !== ""))].filter(f => fs.existsSync(path.join(ROOT, f)));
}

/** Each machine path in a text, with its line, less the allowed ones. */
export function machinePaths(file: string, text: string): string[] {
    let allowed = text;
    for (const [f, s] of ALLOWED) {
        if (f === file) {
            allowed = allowed.split(s).join(" ".repeat(s.length));
        }
    }
    const found: string[] = [];
    allowed.split("\n").forEach((line, i) => {
        for (const m of line.matchAll(MACHINE_PATH)) {
            found.push(`${file}:${i + 1}: ${line.slice(m.index, m.index + 60).trim()}`);
        }
    });
    return found;
}

describe("no machine paths in the repository", () => {
    it("recognises home, temporary and workspace folders, and not generic paths", () => {
        const flagged = (s: string) => machinePaths("x.md", s).length > 0;
        const join = (...p: string[]) => p.join("/");
        for (const p of [join("", "home", "alice", "x"), join("", "root", ".npm"), join("", "tmp", "sni-1"), join("", "var", "folders", "x"),
            join("", "work", "shared", "README.md"), join("", "workspace", "x"), `file://${join("", "home", "ci", "a.ts")}`, `(${join("", "Users", "bob")})`,
            ["C:", "Users", "bob"].join("\\"), ["C:", "Users", "bob"].join("\\\\"), ["D:", "Users", "bob"].join("/")]) {
            assert.ok(flagged(`see ${p}`), p);
        }
        for (const p of ["/dev/stdin", "/usr/bin/chromium", "/opt/ml/model/code", "examples/home/x", "../tmp/x", "https://example.com/home/x", "$RUNNER_TEMP/x", "os.tmpdir()"]) {
            assert.ok(!flagged(`see ${p}`), p);
        }
    });

    it("no file names a folder of the machine it was written on", () => {
        const found: string[] = [];
        for (const file of repositoryFiles()) {
            const bytes = fs.readFileSync(path.join(ROOT, file));
            if (bytes.includes(0)) {
                continue; // binary (gzip fixtures): written with gzip -n, no file name inside
            }
            found.push(...machinePaths(file, bytes.toString("utf8")));
        }
        assert.deepStrictEqual(found, []);
    });
});
