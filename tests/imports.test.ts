/** The layout has no import cycle: the pack, the catalogue's rules and the check command import downwards only. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** The modules a source file imports for their values (type-only imports vanish at run time). */
function valueImports(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const out: string[] = [];
    for (const m of text.matchAll(/^(?:import(?! type)|export \*)[^;"]*?from "(\.[^"]+)";/gm)) {
        const target = path.resolve(path.dirname(file), m[1]);
        const found = [`${target}.ts`, path.join(target, "index.ts")].find(f => fs.existsSync(f));
        if (found) {
            out.push(found);
        }
    }
    return out;
}

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
}

describe("imports", () => {
    it("no module of the pack or the check command imports itself through others", () => {
        const files = [path.join(ROOT, "index.ts"), ...sources(path.join(ROOT, "policies")), ...sources(path.join(ROOT, "cli"))];
        const graph = new Map(files.map(f => [f, valueImports(f)]));
        const state = new Map<string, "open" | "done">();
        const cycles: string[] = [];
        // Depth-first, with an explicit stack of [file, next import index].
        for (const start of files) {
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
                    cycles.push([...stack.slice(stack.findIndex(([f]) => f === next)).map(([f]) => f), next].map(f => path.relative(ROOT, f)).join(" → "));
                } else if (!state.has(next)) {
                    state.set(next, "open");
                    stack.push([next, 0]);
                }
            }
        }
        assert.ok(files.length > 40, `${files.length} files read`);
        assert.deepStrictEqual(cycles, []);
    });
});
