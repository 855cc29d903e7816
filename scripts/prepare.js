#!/usr/bin/env node
// `prepare` (run by npm install / npm ci / npm pack): build bin/ with the TypeScript compiler.
// Where dev dependencies are not installed (a published pack installed for production), the
// shipped bin/ is used as it is.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
let tsc;
try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
    if (fs.existsSync(path.join(root, "bin", "index.js"))) {
        process.exit(0);
    }
    console.error("prepare: TypeScript is not installed and bin/ is missing; run `npm install` with dev dependencies.");
    process.exit(1);
}
execFileSync(process.execPath, [tsc, "-p", root], { stdio: "inherit" });
