/**
 * `npm run bench`, second part: the check command on a large state, next to the way `pulumi
 * policy analyze` drives a pack (one Analyze call at a time, then AnalyzeStack).
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

const ROOT = path.resolve(__dirname, "..");
const SIZE = Number(process.env.BENCH_CHECK_SIZE) || 20000;

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
        process.stderr.write(`check command on a ${SIZE}-resource export (${mb.toFixed(0)} MB)...\n`);
        const ours = await measure(process.execPath, [path.join(ROOT, "bin", "cli", "check.js"), "--format", "json", file]);
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
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 0; // a report, not a gate
});
