/**
 * `npm run bench`, second part: the check command on a large state, next to the same command
 * driving a do-nothing pack with the same policy names, levels and settings (a copy of the built
 * package whose policies do nothing: the target is 1.15x), and next to the way `pulumi policy
 * analyze` drives a pack (one Analyze call at a time, then AnalyzeStack).
 *
 * A stack export of BENCH_CHECK_SIZE resources (default 20,000, about 4 KB each: bench/export.ts)
 * is written to a temporary file; each way is run in its own process tree, whose time and peak
 * memory (the sum of VmRSS over the driver and the pack, sampled every 50 ms) are printed.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeExport } from "./export";
import { median } from "./median";

const ROOT = path.resolve(__dirname, "..");
const SIZE = Number(process.env.BENCH_CHECK_SIZE) || 20000;
const RUNS = Number(process.env.BENCH_CHECK_RUNS) || 3;

/**
 * A baseline's bin/index.js: the catalogue's policies, each check replaced by one that does
 * nothing. With `answerNotApplicable`, each resource policy still answers "not applicable" where
 * its rule's subject does not cover the resource's type, as the pack must (Pulumi Cloud scores a
 * resource by its applicable policies): what the SDK's not-applicable protocol costs alone.
 */
function baselineIndex(answerNotApplicable: boolean): string {
    const validate = answerNotApplicable
        ? `args => { if (covers && !covers.has(args.type)) args.notApplicable("Not covered"); }`
        : "() => { }";
    return `const { PolicyPack } = require("@pulumi/policy");
const { PACK_NAME, policies, RULES } = require("./policies/catalogue/index.js");
const { WORKLOAD_TYPES } = require("./policies/workloads/index.js");
new PolicyPack(PACK_NAME, {
    policies: policies.map((p, i) => {
        const r = RULES[i];
        const covers = "workloads" in r.subject ? WORKLOAD_TYPES : "types" in r.subject ? new Set(r.subject.types) : undefined;
        const q = { ...p };
        delete q.remediateResource;
        if (q.validateResource) q.validateResource = ${validate};
        if (q.validateStack) q.validateStack = () => { };
        return q;
    }),
});
`;
}

/** A copy of the built package in `dir` whose pack is `index` (node_modules linked, not copied). */
function packCopy(dir: string, name: string, index: string): string {
    const copy = path.join(dir, name);
    fs.mkdirSync(copy);
    fs.cpSync(path.join(ROOT, "bin"), path.join(copy, "bin"), { recursive: true });
    for (const f of ["package.json", "PulumiPolicy.yaml"]) {
        fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    fs.writeFileSync(path.join(copy, "bin", "index.js"), index);
    return copy;
}


function rssKb(pid: number): number {
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) : 0;
    } catch {
        return 0;
    }
}

function tree(pid: number): number[] {
    let children: string[] = [];
    try {
        children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
        // gone
    }
    return [pid, ...children.flatMap(c => tree(Number(c)))];
}

/** Runs a command; its wall time and the peak memory of its process tree. */
function measure(cmd: string, args: string[]): Promise<{ ms: number; peakMb: number; code: number | null; stderr: string }> {
    return new Promise(resolve => {
        const t0 = Date.now();
        const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", b => { stderr += b; });
        let peak = 0;
        const timer = setInterval(() => {
            peak = Math.max(peak, tree(child.pid!).reduce((n, p) => n + rssKb(p), 0));
        }, 50);
        child.on("exit", code => {
            clearInterval(timer);
            resolve({ ms: Date.now() - t0, peakMb: peak / 1024, code, stderr });
        });
    });
}

async function main() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-check-"));
    try {
        const file = path.join(dir, "stack-export.json");
        fs.writeFileSync(file, JSON.stringify(makeExport(SIZE), null, 4));
        const mb = fs.statSync(file).size / 1e6;
        process.stderr.write(`check command on a ${SIZE}-resource export (${mb.toFixed(0)} MB), this pack and a do-nothing copy, ${RUNS} runs each...\n`);
        const noop = packCopy(dir, "noop", baselineIndex(false));
        const na = packCopy(dir, "not-applicable", baselineIndex(true));
        const runs: Record<"ours" | "noop" | "na", Awaited<ReturnType<typeof measure>>>[] = [];
        for (let i = 0; i < RUNS; i++) {
            // Alternating: a busy moment hits both alike.
            const o = await measure(process.execPath, [path.join(ROOT, "bin", "cli", "check.js"), "--format", "json", file]);
            const n = await measure(process.execPath, [path.join(noop, "bin", "cli", "check.js"), "--format", "json", file]);
            const a = await measure(process.execPath, [path.join(na, "bin", "cli", "check.js"), "--format", "json", file]);
            if (![0, 1].includes(o.code ?? -1) || n.code !== 0 || a.code !== 0) {
                throw new Error(`a run failed: ${o.stderr}${n.stderr}${a.stderr}`);
            }
            runs.push({ ours: o, noop: n, na: a });
        }
        const ours = runs[0].ours;
        process.stderr.write("one Analyze at a time, as pulumi policy analyze does...\n");
        const oneByOne = await measure(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "one-by-one.ts"), file]);
        if (oneByOne.code !== 0 || ![0, 1].includes(ours.code ?? -1)) {
            throw new Error(`a run failed: ${ours.stderr}${oneByOne.stderr}`);
        }
        const driverMs = Number(/elapsed (\d+)/.exec(oneByOne.stderr)?.[1] ?? NaN);
        console.log("");
        console.log(`${SIZE} resources, ${mb.toFixed(0)} MB export       time (s)   peak memory, driver + pack (MB)`);
        console.log(`sagemaker-isolation-check (stream, 16 in flight)  ${(ours.ms / 1000).toFixed(1).padStart(8)}   ${ours.peakMb.toFixed(0).padStart(8)}`);
        console.log(`one Analyze at a time (policy analyze's way)      ${(driverMs / 1000).toFixed(1).padStart(8)}   ${oneByOne.peakMb.toFixed(0).padStart(8)}`);
        console.log("(the second time is measured inside its driver, without ts-node's start-up)");
        console.log("");
        console.log("run   this pack (s)   do-nothing (s)   ratio   do-nothing, not applicable answered (s)   ratio");
        const s = (ms: number, w: number) => (ms / 1000).toFixed(1).padStart(w);
        runs.forEach((r, i) => console.log(`${String(i + 1).padEnd(4)}  ${s(r.ours.ms, 13)}   ${s(r.noop.ms, 14)}   ${(r.ours.ms / r.noop.ms).toFixed(2).padStart(5)}   ` +
            `${s(r.na.ms, 39)}   ${(r.ours.ms / r.na.ms).toFixed(2).padStart(5)}`));
        const ratio = median(runs.map(r => r.ours.ms / r.noop.ms));
        console.log(`median ratio ${ratio.toFixed(2)} (target 1.15: ${ratio <= 1.15 ? "PASS" : "MISS"}), ${median(runs.map(r => r.ours.ms / r.na.ms)).toFixed(2)} against the ` +
            `not-applicable baseline; peak memory ${median(runs.map(r => r.ours.peakMb)).toFixed(0)}, ${median(runs.map(r => r.noop.peakMb)).toFixed(0)} and ${median(runs.map(r => r.na.peakMb)).toFixed(0)} MB`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 0; // a report, not a gate
});
