/**
 * Evaluates stacks through the pack's real policies, as the engine does during `pulumi preview`:
 * start the pack as the engine starts it, Configure, Remediate (when a policy is at level
 * "remediate") then Analyze every resource with its (remediated) inputs, AnalyzeStack with
 * every resource's outputs.
 */
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { readConfigFile, resolveConfigDocument, ResolvedConfig } from "./config";
import { AnalyzerInfo, Level, NotApplicable, startPack } from "./engine";
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

/** A resource whose inputs a policy at level "remediate" changed before it was analyzed. */
export interface Remediated {
    policyName: string;
    urn: string;
    resourceName: string;
    resourceType: string;
    /** The resource's inputs after this remediation (engine encoding: may hold secrets). */
    properties: Record<string, unknown>;
}

export interface StackResult {
    input: StackInput;
    findings: Finding[];
    /** Remediations applied, in resource order (one entry per policy that changed a resource). */
    remediated: Remediated[];
    /** The resource policies that said they do not apply to a resource (Analyze's not_applicable). */
    notApplicable?: (NotApplicable & { urn: string })[];
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
    /** Called with each configuration warning (one line, e.g. an unknown setting). */
    warn?: (message: string) => void;
}

export async function evaluate(stacks: StackInput[], opts: EvaluateOptions = {}): Promise<Evaluation> {
    // A missing or malformed configuration file is reported before the pack is started.
    const rawConfig = opts.configFile !== undefined ? readConfigFile(opts.configFile) : {};
    const pack = await startPack(packageDir());
    try {
        const info = await pack.client.getAnalyzerInfo();
        const config = resolveConfigDocument(info, rawConfig, opts.configFile ?? "configuration", opts.warn);
        await pack.client.configure(config);
        // The engine calls Remediate before Analyze for every resource; only policies at level
        // "remediate" do anything there, so the call is skipped when there are none.
        const remediating = Object.values(config).some(c => c.enforcementLevel === "remediate");
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
            const remediatedPer: Remediated[][] = new Array(input.resources.length);
            const notApplicablePer: (NotApplicable & { urn: string })[][] = new Array(input.resources.length);
            let next = 0;
            const worker = async () => {
                while (next < input.resources.length) {
                    const i = next++;
                    const r = input.resources[i];
                    let props = r.inputs;
                    const remediationFindings: Finding[] = [];
                    remediatedPer[i] = [];
                    if (remediating) {
                        // The SDK chains the remediations of one call: each policy sees the
                        // previous one's result, so the last result with properties is final
                        // (one equal to the inputs changes nothing and is not reported). A
                        // remediation that could not run reports a diagnostic instead, which
                        // the engine shows as an advisory policy violation.
                        const rs = await pack.client.remediate({ type: r.type, name: r.name, urn: r.urn, props });
                        for (const x of rs) {
                            if (x.properties && !isDeepStrictEqual(x.properties, props)) {
                                props = x.properties;
                                remediatedPer[i].push({ policyName: x.policyName, urn: r.urn, resourceName: r.name, resourceType: r.type, properties: props });
                            } else if (x.diagnostic) {
                                remediationFindings.push(finding({ policyName: x.policyName, level: "advisory", message: x.diagnostic, urn: r.urn }, r.urn));
                            }
                        }
                    }
                    const res = await pack.client.analyze({ type: r.type, name: r.name, urn: r.urn, props });
                    perResource[i] = [...remediationFindings, ...res.diagnostics.map(d => finding(d, r.urn))];
                    notApplicablePer[i] = res.notApplicable.map(x => ({ ...x, urn: r.urn }));
                    done++;
                    opts.progress?.(done, total);
                }
            };
            await Promise.all(Array.from({ length: Math.min(CONCURRENCY, input.resources.length) }, worker));
            const stackDs = (await pack.client.analyzeStack(input.resources.map(r => ({
                type: r.type, name: r.name, urn: r.urn, props: r.outputs, parent: r.parent,
                dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            })))).diagnostics;
            const stackUrn = `urn:pulumi:${input.stack}::${input.project}::pulumi:pulumi:Stack::${input.project}-${input.stack}`;
            results.push({ input, findings: [...perResource.flat(), ...stackDs.map(d => finding(d, stackUrn))], remediated: remediatedPer.flat(), notApplicable: notApplicablePer.flat() });
        }
        return { info, config, stacks: results };
    } finally {
        await pack.stop();
    }
}
