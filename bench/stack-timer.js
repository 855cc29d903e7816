// Preloaded into a pack process by `npm run bench` (NODE_OPTIONS=-r): times each stack policy's
// validateStack call (wall clock, inside the pack, so neither the SDK's decoding nor the
// response is counted) and writes the times, as a JSON list of milliseconds, to the file
// BENCH_STACK_TIMER_OUT names when the process is stopped. Loads nothing into other processes.
if (process.env.BENCH_STACK_TIMER_OUT && process.argv.some(a => a.includes("run-policy-pack"))) {
    const fs = require("fs");
    const { performance } = require("perf_hooks");
    const packDir = process.argv[process.argv.length - 1];
    const sdk = require(require.resolve("@pulumi/policy/policy", { paths: [packDir] }));
    const times = [];
    const Pack = sdk.PolicyPack;
    sdk.PolicyPack = class extends Pack {
        constructor(name, args, ...rest) {
            for (const p of args.policies) {
                if (typeof p.validateStack === "function") {
                    const validate = p.validateStack;
                    p.validateStack = (a, report) => {
                        const t0 = performance.now();
                        try {
                            return validate(a, report);
                        } finally {
                            times.push(performance.now() - t0);
                        }
                    };
                }
            }
            super(name, args, ...rest);
        }
    };
    const write = () => {
        fs.writeFileSync(process.env.BENCH_STACK_TIMER_OUT, JSON.stringify(times));
        process.exit(0);
    };
    process.on("SIGTERM", write);
    process.on("SIGINT", write);
}
