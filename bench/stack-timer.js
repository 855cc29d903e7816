// Preloaded into a pack process by `npm run bench` (NODE_OPTIONS=-r): for each AnalyzeStack,
// the wall time of each stack policy's validateStack call (inside the pack, so neither the
// SDK's decoding of the request nor the response is counted), and the time from the end of the
// last one to the SDK's answer (its reporting of the findings, and the collections the call
// left to do). Written, as a JSON list of { call, after } in milliseconds, to the file
// BENCH_STACK_TIMER_OUT names when the process is stopped. Loads nothing into other processes.
if (process.env.BENCH_STACK_TIMER_OUT && process.argv.some(a => a.includes("run-policy-pack"))) {
    const fs = require("fs");
    const path = require("path");
    const { performance } = require("perf_hooks");
    const packDir = process.argv[process.argv.length - 1];
    const policyModule = require.resolve("@pulumi/policy/policy", { paths: [packDir] });
    const sdk = require(policyModule);
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(policyModule)] }));
    const times = [];
    let call = 0;
    let ended = 0;
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
                            ended = performance.now();
                            call += ended - t0;
                        }
                    };
                }
            }
            super(name, args, ...rest);
        }
    };
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service, implementation) {
        const analyzeStack = implementation && implementation.analyzeStack;
        if (typeof analyzeStack === "function") {
            implementation = {
                ...implementation,
                analyzeStack(rpc, callback) {
                    call = 0;
                    ended = 0;
                    return analyzeStack.call(this, rpc, (...answer) => {
                        times.push({ call, after: ended > 0 ? performance.now() - ended : NaN });
                        return callback(...answer);
                    });
                },
            };
        }
        return addService.call(this, service, implementation);
    };
    const write = () => {
        fs.writeFileSync(process.env.BENCH_STACK_TIMER_OUT, JSON.stringify(times));
        process.exit(0);
    };
    process.on("SIGTERM", write);
    process.on("SIGINT", write);
}
