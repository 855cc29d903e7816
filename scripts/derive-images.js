#!/usr/bin/env node
// Derives policies/facts/data/managed-images.json from the SageMaker Python SDK's image registry
// (src/sagemaker/image_uri_config/*.json, copied to shared/reference/sagemaker-images/sdk-v2/):
// for each framework family, every ECR repository its registry files name, with the AWS
// account that serves it in each region (the union over the SDK's versions and scopes).
// Run from the repository root: node scripts/derive-images.js [path-to-sdk-v2-directory] [--check]
// (--check: write nothing, exit 1 if the committed file differs from what the data gives).
"use strict";
const fs = require("fs");
const path = require("path");

const SOURCE = "aws/sagemaker-python-sdk master-v2 fc582aaa46faf7b7e16ab1e13840869712174cd0 src/sagemaker/image_uri_config";

// The families whose containers run the user's script through the SageMaker training or
// inference toolkit, and the SDK registry files that name their images. `alwaysFails`: AWS
// documents that the family cannot run with network isolation at all (Chainer, RL);
// the others fail only when their code comes from Amazon S3 at start.
const FAMILIES = [
    { id: "chainer", name: "Chainer", alwaysFails: true, files: ["chainer.json"] },
    { id: "huggingface", name: "Hugging Face", files: ["huggingface.json"] },
    { id: "mxnet", name: "MXNet", files: ["mxnet.json"] },
    {
        id: "pytorch", name: "PyTorch", files: ["pytorch.json", "pytorch-neuron.json", "pytorch-smp.json",
            "pytorch-training-compiler.json", "hyperpod-recipes-neuron.json", "neo-pytorch.json", "inferentia-pytorch.json"],
    },
    {
        id: "rl", name: "SageMaker Reinforcement Learning", alwaysFails: true,
        files: ["coach-mxnet.json", "coach-tensorflow.json", "ray-pytorch.json", "ray-tensorflow.json", "vw.json"],
    },
    { id: "scikit-learn", name: "Scikit-learn", files: ["sklearn.json"] },
    { id: "tensorflow", name: "TensorFlow", files: ["tensorflow.json"] },
    // xgboost.json version "1" names `xgboost`, the legacy built-in algorithm: it runs no user script.
    { id: "xgboost", name: "XGBoost", files: ["xgboost.json"], exclude: ["xgboost"] },
];

/** Every {repository, registries} entry of an SDK registry file, at any depth. */
function entries(node, out = []) {
    if (Array.isArray(node)) {
        node.forEach(n => entries(n, out));
    } else if (node && typeof node === "object") {
        if (typeof node.repository === "string" && node.registries && typeof node.registries === "object") {
            out.push(node);
        } else {
            Object.values(node).forEach(n => entries(n, out));
        }
    }
    return out;
}

const args = process.argv.slice(2);
const check = args.includes("--check");
const dir = args.find(a => a !== "--check") || path.join(__dirname, "../../shared/reference/sagemaker-images/sdk-v2");
const present = fs.readdirSync(dir).filter(f => f.endsWith(".json")).sort();
const assigned = FAMILIES.flatMap(f => f.files);
const unassigned = present.filter(f => !assigned.includes(f));
const missing = assigned.filter(f => !present.includes(f));
if (unassigned.length > 0 || missing.length > 0) {
    throw new Error(`registry files not assigned to a family: [${unassigned}]; assigned but missing: [${missing}]`);
}

const owner = new Map();
const families = {};
for (const family of FAMILIES) {
    const repos = {};
    for (const file of family.files) {
        for (const e of entries(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")))) {
            if ((family.exclude || []).includes(e.repository)) {
                continue;
            }
            if (owner.has(e.repository) && owner.get(e.repository) !== family.id) {
                throw new Error(`${e.repository} is in ${owner.get(e.repository)} and ${family.id}`);
            }
            owner.set(e.repository, family.id);
            const regions = repos[e.repository] = repos[e.repository] || {};
            for (const [region, account] of Object.entries(e.registries)) {
                if (regions[region] !== undefined && regions[region] !== account) {
                    throw new Error(`${e.repository} in ${region}: accounts ${regions[region]} and ${account}`);
                }
                regions[region] = account;
            }
        }
    }
    const sorted = o => Object.fromEntries(Object.keys(o).sort().map(k => [k, o[k]]));
    families[family.id] = {
        name: family.name,
        alwaysFails: family.alwaysFails === true,
        files: family.files,
        repositories: Object.fromEntries(Object.keys(repos).sort().map(r => [r, sorted(repos[r])])),
    };
}
const dest = path.join(__dirname, "../policies/facts/data/managed-images.json");
const text = JSON.stringify({ source: SOURCE, families }, null, 1) + "\n";
if (check) {
    if (fs.readFileSync(dest, "utf8") !== text) {
        console.error(`${dest} differs from what ${dir} gives: run node scripts/derive-images.js`);
        process.exit(1);
    }
} else {
    fs.writeFileSync(dest, text);
    console.error(`wrote ${dest}`);
}
