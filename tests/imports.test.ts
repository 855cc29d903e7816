/**
 * The layout reads top-down. Every folder of policies/ and cli/ that holds source files opens
 * with a README.md that says what the layer holds and, on a line `May import:`, the folders it may
 * import from. This test holds the code to it:
 *
 * - no file imports a folder its README does not list (type-only imports and re-exports count:
 *   they tie the files together for a reader just the same);
 * - the folders' lists form no cycle, so the layers have an order;
 * - no file imports itself through others (type-only imports included);
 * - no source file of the pack, the check command or the tests is over 400 lines.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const MAX_LINES = 400;

/** Every relative module a source file imports or re-exports, types included, resolved to a file. */
function imports(file: string, text = fs.readFileSync(file, "utf8")): string[] {
    const out: string[] = [];
    // `import ... from "x"`, `import type ... from "x"`, `export ... from "x"`, `import "x"` (one statement each).
    for (const m of text.matchAll(/^(?:(?:import|export)\b[^;"]*?\bfrom\s*|import\s*)"(\.{1,2}\/[^"]*)";/gm)) {
        const target = path.resolve(path.dirname(file), m[1]);
        const found = [`${target}.ts`, path.join(target, "index.ts"), target].find(f => fs.existsSync(f) && fs.statSync(f).isFile());
        out.push(found ?? `${target} (missing)`);
    }
    return out;
}

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? (e.name === "node_modules" || e.name === "fixtures" ? [] : sources(path.join(dir, e.name)))
            : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path.join(dir, e.name)] : []);
}

const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join("/");

/** The folder a file is in, as the layers name it (`policies/values`); JSON data belongs to the folder above `data/`. */
function folderOf(file: string): string {
    const d = rel(path.dirname(file));
    return d.endsWith("/data") ? d.slice(0, -"/data".length) : d;
}

/** A folder's `May import:` list, from its README.md: the code spans on that line. */
function allowed(folder: string): string[] | undefined {
    const readme = path.join(ROOT, folder, "README.md");
    if (!fs.existsSync(readme)) {
        return undefined;
    }
    const line = fs.readFileSync(readme, "utf8").split("\n").find(l => l.startsWith("May import:"));
    return line === undefined ? undefined : [...line.matchAll(/`([^`]+)`/g)].map(m => m[1]);
}

/** Cycles of a directed graph, each as the path around it (depth-first, explicit stack). */
function cycles(graph: Map<string, string[]>): string[][] {
    const state = new Map<string, "open" | "done">();
    const out: string[][] = [];
    for (const start of graph.keys()) {
        if (state.has(start)) {
            continue;
        }
        const stack: [string, number][] = [[start, 0]];
        state.set(start, "open");
        while (stack.length > 0) {
            const top = stack[stack.length - 1];
            const next = (graph.get(top[0]) ?? [])[top[1]++];
            if (next === undefined) {
                state.set(top[0], "done");
                stack.pop();
            } else if (state.get(next) === "open") {
                out.push([...stack.slice(stack.findIndex(([f]) => f === next)).map(([f]) => f), next]);
            } else if (!state.has(next)) {
                state.set(next, "open");
                stack.push([next, 0]);
            }
        }
    }
    return out;
}

const CODE = [path.join(ROOT, "index.ts"), ...sources(path.join(ROOT, "policies")), ...sources(path.join(ROOT, "cli"))];
const LAYERED = [...new Set(CODE.map(folderOf))].filter(f => f.startsWith("policies") || f.startsWith("cli"));

describe("imports and layers", () => {
    it("finds the code", () => {
        assert.ok(CODE.length > 50, `${CODE.length} files read`);
        assert.ok(LAYERED.length >= 10, LAYERED.join(", "));
    });

    it("every folder of policies/ and cli/ opens with a README.md that says what it may import", () => {
        assert.deepStrictEqual(LAYERED.filter(f => allowed(f) === undefined), []);
    });

    it("no file imports a folder its folder's README does not allow", () => {
        const wrong: string[] = [];
        for (const file of CODE.filter(f => LAYERED.includes(folderOf(f)))) {
            const from = folderOf(file);
            const may = allowed(from);
            for (const target of imports(file)) {
                const to = folderOf(target);
                const inPack = to.startsWith("policies") || to.startsWith("cli");
                if (inPack && to !== from && !(may ?? []).includes(to)) {
                    wrong.push(`${rel(file)} → ${rel(target)} (${from} may import: ${(may ?? []).join(", ") || "nothing"})`);
                }
            }
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("the layers have an order: no cycle between folders", () => {
        const graph = new Map(LAYERED.map(f => [f, allowed(f) ?? []]));
        assert.deepStrictEqual(cycles(graph).map(c => c.join(" → ")), []);
        const unknown = LAYERED.flatMap(f => (allowed(f) ?? []).filter(t => !LAYERED.includes(t)).map(t => `${f} names ${t}`));
        assert.deepStrictEqual(unknown, []);
    });

    it("no file imports itself through others, type-only imports included", () => {
        const graph = new Map(CODE.map(f => [f, imports(f)]));
        assert.deepStrictEqual(cycles(graph).map(c => c.map(rel).join(" → ")), []);
    });

    it("no import names a file that does not exist", () => {
        assert.deepStrictEqual(CODE.flatMap(f => imports(f).filter(t => t.endsWith("(missing)")).map(t => `${rel(f)} → ${t}`)), []);
    });

    it(`no source file is over ${MAX_LINES} lines`, () => {
        const all = [...CODE, ...sources(path.join(ROOT, "tests")), ...sources(path.join(ROOT, "bench"))];
        const long = all.map(f => [rel(f), fs.readFileSync(f, "utf8").split("\n").length - 1] as const).filter(([, n]) => n > MAX_LINES);
        assert.deepStrictEqual(long.map(([f, n]) => `${f}: ${n} lines`), []);
    });

    it("catches what it is about (a cycle, a type-only import, an import against the layers)", () => {
        assert.deepStrictEqual(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]])), [["a", "b", "c", "a"]]);
        const file = path.join(ROOT, "policies", "values", "values.ts");
        assert.deepStrictEqual(imports(file, `import type { Rule } from "../frame/frame";\nexport { x } from "./glob";\n`).map(rel),
            ["policies/frame/frame.ts", "policies/values/glob.ts"]);
        assert.ok(!(allowed("policies/values") ?? []).includes("policies/frame"));
    });
});
