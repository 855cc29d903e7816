/**
 * Evaluates stacks through the pack's real policies, as the engine does during `pulumi preview`:
 * start the pack as the engine starts it, Configure, Analyze every resource with its inputs,
 * AnalyzeStack with every resource's outputs.
 */
import * as fs from "fs";
import * as path from "path";
import { resolveConfig, ResolvedConfig } from "./config";
import { AnalyzerInfo, Level, startPack } from "./engine";
import { StackInput } from "./input";

export interface Finding {
    policyName: string;
    level: Level;
    message: string;
    urn: string;
    /** Logical name and type of the resource the finding is about ("" for the stack itself). */
    resourceName: string;
    resourceType: string;
    /** An applied exemption (an advisory diagnostic whose message starts with "Exempted"). */
    exempted: boolean;
}

export interface StackResult {
    input: StackInput;
    findings: Finding[];
}

export interface Evaluation {
    info: AnalyzerInfo;
    config: ResolvedConfig;
    stacks: StackResult[];
}

/** The directory of this package (where package.json is), from bin/cli/ or cli/. */
export function packageDir(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`cannot find the policy pack's directory above ${__dirname}`);
        }
    }
}

const CONCURRENCY = 16;

export interface EvaluateOptions {
    configFile?: string;
    /** Called as resources are analyzed (for a progress line). */
    progress?: (done: number, total: number) => void;
}

export async function evaluate(stacks: StackInput[], opts: EvaluateOptions = {}): Promise<Evaluation> {
    const pack = await startPack(packageDir());
    try {
        const info = await pack.client.getAnalyzerInfo();
        const config = resolveConfig(info, opts.configFile);
        await pack.client.configure(config);
        const total = stacks.reduce((n, s) => n + s.resources.length, 0);
        let done = 0;
        const results: StackResult[] = [];
        for (const input of stacks) {
            const byUrn = new Map(input.resources.map(r => [r.urn, r]));
            const finding = (d: { policyName: string; level: Level; message: string; urn: string }, fallbackUrn: string): Finding => {
                const urn = d.urn || fallbackUrn;
                const r = byUrn.get(urn);
                return {
                    policyName: d.policyName, level: d.level, message: d.message, urn,
                    resourceName: r?.name ?? "", resourceType: r?.type ?? "",
                    exempted: d.level === "advisory" && d.message.startsWith("Exempted"),
                };
            };
            const perResource: Finding[][] = new Array(input.resources.length);
            let next = 0;
            const worker = async () => {
                while (next < input.resources.length) {
                    const i = next++;
                    const r = input.resources[i];
                    const ds = await pack.client.analyze({ type: r.type, name: r.name, urn: r.urn, props: r.inputs });
                    perResource[i] = ds.map(d => finding(d, r.urn));
                    done++;
                    opts.progress?.(done, total);
                }
            };
            await Promise.all(Array.from({ length: Math.min(CONCURRENCY, input.resources.length) }, worker));
            const stackDs = await pack.client.analyzeStack(input.resources.map(r => ({
                type: r.type, name: r.name, urn: r.urn, props: r.outputs, parent: r.parent,
                dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            })));
            const stackUrn = `urn:pulumi:${input.stack}::${input.project}::pulumi:pulumi:Stack::${input.project}-${input.stack}`;
            results.push({ input, findings: [...perResource.flat(), ...stackDs.map(d => finding(d, stackUrn))] });
        }
        return { info, config, stacks: results };
    } finally {
        await pack.stop();
    }
}
