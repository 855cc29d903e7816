/**
 * An organization's own pack, as a platform team builds one: a folder with its package.json
 * (depending on this package's tarball, made by `npm pack`, and on @pulumi/policy and
 * @pulumi/pulumi), an index.js that spreads `selectPolicies(...)` beside one policy of its own,
 * installed with npm. The tarball is packed from bin/ as built (`npm run build` first): the
 * pack skips `prepare`. The install takes every package from npm's cache (filled by `npm ci`),
 * or where the cache lacks one, from the registry. Made once per test process, removed when
 * the process exits.
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; dependencies: Record<string, string> };
export const PACKAGE = PKG.name;

/** The organization pack's own policy, and the resource type it judges. */
export const OWN_POLICY = "acme-models-tagged";
export const OWN_TYPE = "aws:sagemaker/model:Model";

export interface OrgPack {
    /** The organization's pack folder (package.json, index.js, node_modules). */
    dir: string;
    /** This package as installed there: node_modules/<package>. */
    installed: string;
    tgz: string;
}

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

export function exec(file: string, args: string[], cwd: string, timeout = 150000): Promise<Run> {
    return new Promise(resolve => {
        execFile(file, args, { cwd, timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
        });
    });
}

export function npmAvailable(): boolean {
    return spawnSync(NPM, ["--version"], { encoding: "utf8" }).status === 0;
}

const INDEX_JS = `"use strict";
const { PolicyPack } = require("@pulumi/policy");
const { selectPolicies } = require("${PACKAGE}/policies");

/** The organization's own policy: every SageMaker model carries a team tag. */
const ownPolicy = {
    name: "${OWN_POLICY}",
    description: "SageMaker models carry a team tag.",
    enforcementLevel: "advisory",
    configSchema: { properties: { tag: { type: "string" } } },
    validateResource: (args, reportViolation) => {
        if (args.type !== "${OWN_TYPE}") {
            return;
        }
        const tag = (args.getConfig() || {}).tag || "team";
        if (!args.props.tags || !(tag in args.props.tags)) {
            reportViolation("model " + args.name + " has no " + tag + " tag");
        }
    },
};

new PolicyPack("acme-policies", {
    policies: [ownPolicy, ...selectPolicies({})],
});
`;

async function make(): Promise<OrgPack> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sni-library-"));
    process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
    const packed = await exec(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT, 120000);
    if (packed.code !== 0) {
        throw new Error(`npm pack failed: ${packed.stderr}`);
    }
    const tgz = path.join(tmp, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
    const dir = path.join(tmp, "acme-policies");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({
        name: "acme-policies",
        version: "3.1.4",
        main: "index.js",
        dependencies: {
            [PACKAGE]: `file:${tgz}`,
            "@pulumi/policy": PKG.dependencies["@pulumi/policy"],
            "@pulumi/pulumi": PKG.dependencies["@pulumi/pulumi"],
        },
    }, null, 2));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: ACME's policies\n");
    fs.writeFileSync(path.join(dir, "index.js"), INDEX_JS);
    const flags = ["--no-audit", "--no-fund", "--no-package-lock"];
    let installed = await exec(NPM, ["install", "--offline", ...flags], dir);
    if (installed.code !== 0) {
        installed = await exec(NPM, ["install", "--prefer-offline", ...flags], dir);
    }
    if (installed.code !== 0) {
        throw new Error(`npm install failed: ${installed.stderr}`);
    }
    return { dir, installed: path.join(dir, "node_modules", ...PACKAGE.split("/")), tgz };
}

let made: Promise<OrgPack> | undefined;

/** The organization pack, made on first call. */
export function orgPack(): Promise<OrgPack> {
    if (!fs.existsSync(path.join(ROOT, "bin", "policies", "index.js"))) {
        return Promise.reject(new Error("bin/ is missing or stale: run `npm run build` first"));
    }
    return made ??= make();
}
