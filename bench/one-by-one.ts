/**
 * The way `pulumi policy analyze` drives a pack over a state, for bench/check.ts: read the whole
 * export, start the pack, then one Analyze call at a time (each resource's inputs) and one
 * AnalyzeStack call (every resource's outputs). Prints "elapsed MS" on stderr.
 */
import * as fs from "fs";
import * as path from "path";
import { startPack } from "../cli/engine/client";

interface State {
    urn: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

async function main(file: string) {
    const t0 = Date.now();
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { deployment: { resources: State[] } };
    const resources = doc.deployment.resources.filter(r => !r.type.startsWith("pulumi:"));
    const pack = await startPack(path.resolve(__dirname, ".."));
    try {
        await pack.client.configure({});
        for (const r of resources) {
            await pack.client.analyze({ type: r.type, name: r.urn.split("::").pop()!, urn: r.urn, props: r.inputs ?? {} });
        }
        await pack.client.analyzeStack(resources.map(r => ({
            type: r.type, name: r.urn.split("::").pop()!, urn: r.urn, props: r.outputs ?? {},
            dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
        })));
    } finally {
        await pack.stop();
    }
    process.stderr.write(`elapsed ${Date.now() - t0}\n`);
}

main(process.argv[2]).catch(e => {
    console.error(e);
    process.exitCode = 1;
});
