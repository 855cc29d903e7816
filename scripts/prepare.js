#!/usr/bin/env node
// `prepare` (run by npm install / npm ci / npm pack) and `npm run build`: build bin/ anew with the
// TypeScript compiler (a stale bin/policies/rules/*.js would be a policy the catalogue loads).
// A published pack (what `pulumi policy publish` uploads) ships bin/ without the TypeScript
// sources and tsconfig.json: there the shipped bin/ is used as it is.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const built = fs.existsSync(path.join(root, "bin", "index.js"));
if (!fs.existsSync(path.join(root, "tsconfig.json"))) {
    if (built) {
        process.exit(0);
    }
    console.error("prepare: neither the TypeScript sources nor a built bin/ are here.");
    process.exit(1);
}
let tsc;
try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
    if (built) {
        process.exit(0);
    }
    console.error("prepare: TypeScript is not installed and bin/ is missing; run `npm install` with dev dependencies.");
    process.exit(1);
}
fs.rmSync(path.join(root, "bin"), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", root], { stdio: "inherit" });
