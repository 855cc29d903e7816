#!/usr/bin/env node
// Derives policies/data/managed-images.json from AWS's image registry data
// (shared/reference/sagemaker-images/requested_frameworks_summary.json, itself taken from
// the SageMaker Python SDK's image_uri_config). Output: framework -> repository -> region -> account.
// Run from the repository root: node scripts/derive-images.js [path-to-summary.json]
"use strict";
const fs = require("fs");
const path = require("path");

const src = process.argv[2] || path.join(__dirname, "../../shared/reference/sagemaker-images/requested_frameworks_summary.json");
const summary = JSON.parse(fs.readFileSync(src, "utf8"));
const names = { chainer: "chainer", pytorch: "pytorch", sklearn: "scikit-learn", rl: "rl" };
const out = {};
for (const [family, repos] of Object.entries(summary)) {
    const framework = names[family];
    if (!framework) throw new Error(`unexpected framework family ${family}`);
    out[framework] = {};
    for (const repo of Object.keys(repos).sort()) {
        const regions = repos[repo].registries;
        out[framework][repo] = Object.fromEntries(Object.keys(regions).sort().map(r => [r, regions[r]]));
    }
}
const dest = path.join(__dirname, "../policies/data/managed-images.json");
fs.writeFileSync(dest, JSON.stringify(out, null, 1) + "\n");
console.error(`wrote ${dest}`);
