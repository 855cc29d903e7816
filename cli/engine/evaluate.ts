/**
 * Evaluates stacks through the pack's real policies, as the engine does (`pulumi preview`, or
 * `pulumi policy analyze` on a state): start the pack as the engine starts it, Configure,
 * Remediate (when a policy is at level "remediate") then Analyze every resource with its
 * (remediated) inputs except resources read with `.get()`, AnalyzeStack with every resource's
 * outputs. Every verdict comes from the responses: diagnostics and not-applicable lists.
 */
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { readConfigFile, resolveConfigDocument } from "./config";
import { Exemption, parseExemptionReason, recordsStackRoot } from "../../policies/values/wire";
import { encodeAnalyzerResource } from "../protocol/protobuf";
import { startPack } from "./client";
import { AnalyzeResult, Level, NotApplicable, PolicyDescription, ResolvedConfig } from "../protocol/protocol";
import { Evaluation, Finding, PolicyResult, Remediated, score, Scores, StackResult } from "./results";
import { STACK_TYPE } from "../inputs/engine-value";
import { StackInput, UsageError } from "../inputs/types";

/** The scores of one stack's `results`. */
function scores(results: PolicyResult[]): Scores {
    const applies = new Map<string, boolean>(); // policy → passes so far
    const governed = new Map<string, boolean>(); // resource → complies so far
    for (const r of results) {
        if (r.outcome !== "passed" && r.outcome !== "failed") {
            continue;
        }
        const failed = r.outcome === "failed";
        applies.set(r.policyName, (applies.get(r.policyName) ?? true) && !failed);
        if (r.resourceType !== STACK_TYPE) {
            governed.set(r.urn, (governed.get(r.urn) ?? true) && !failed);
        }
    }
    const count = (m: Map<string, boolean>) => [...m.values()].filter(x => x).length;
    return { policies: score(count(applies), applies.size), resources: score(count(governed), governed.size) };
}

/**
 * The result of one policy for one subject from a response: failed if it reported a diagnostic,
 * not applicable (or exempted) if it said so, else passed. A not-applicable reason that is an
 * applied exemption's (read back through the wire contract) marks the result exempted.
 */
function resultOf(policyName: string, subject: { urn: string; name: string; type: string }, failed: boolean,
    na?: NotApplicable): PolicyResult {
    const base = { policyName, urn: subject.urn, resourceName: subject.name, resourceType: subject.type };
    if (failed) {
        return { ...base, outcome: "failed" };
    }
    if (!na) {
        return { ...base, outcome: "passed" };
    }
    const exemption = parseExemptionReason(na.reason);
    return exemption
        ? { ...base, outcome: "exempted", reason: na.reason, exemption }
        : { ...base, outcome: "not-applicable", reason: na.reason };
}

/** The longest reason kept from a failed call. */
const REASON_MAX = 600;

/**
 * The reason of a failed call on one line: the pack's message (the SDK puts its reason, e.g.
 * "Error: Unrecognized signature ...", on the lines after its first) without the stack frames
 * (lines starting with "at "), lines joined with spaces, at most REASON_MAX characters.
 */
export function reasonOf(e: unknown): string {
    const lines = (e instanceof Error ? e.message : String(e)).split("\n").map(l => l.trim())
        .filter(l => l !== "" && !l.startsWith("at "));
    const reason = lines.join(" ");
    return reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX)}…` : reason;
}

/**
 * `call`, with a failure turned into a one-line error naming the file and the resource, with the
 * pack's whole reason. A value nested too deep for the protocol's JavaScript stubs fails here
 * as it would under the engine: the policy SDK in the pack cannot decode properties nested much
 * more than 1,000 levels.
 */
async function about<T>(file: string, r: { name: string; type: string } | undefined, call: Promise<T>, timeoutMs?: number): Promise<T> {
    try {
        return await call;
    } catch (e) {
        const subject = r ? `${r.name} (${r.type})` : "AnalyzeStack";
        if ((e as { code?: unknown }).code === DEADLINE_EXCEEDED && timeoutMs !== undefined) {
            throw new UsageError(`${file}: ${subject}: the pack gave no answer within ${timeoutMs / 1000} s (--call-timeout)`);
        }
        const message = reasonOf(e);
        const deep = /Maximum call stack|deserializing request/i.test(message)
            ? " (its properties nest deeper than the policy SDK's protobuf decoding handles, about 1,000 levels; `pulumi preview` would fail the same way)"
            : "";
        throw new UsageError(`${file}: ${subject}: the pack could not evaluate it: ${message}${deep}`);
    }
}

/** gRPC's status DEADLINE_EXCEEDED: a call's deadline passed. */
const DEADLINE_EXCEEDED = 4;

const DAY = 24 * 60 * 60 * 1000;

/** At most this many warnings of each kind per policy name an exemption; one more line counts the rest. */
export const NAMED_EXEMPTIONS = 20;

/**
 * Exemptions that may hide findings by mistake: one that exempted nothing in the stacks
 * evaluated (a typo in its pattern, or a resource that is gone), and one that covers every
 * resource (a pattern of `*` only) for more than a year or for ever. Per policy and kind, the
 * first NAMED_EXEMPTIONS are named, one line each, and one line counts the rest: the output is
 * bounded whatever the number of exemptions.
 */
export function exemptionWarnings(config: ResolvedConfig, results: PolicyResult[], where: string, now = Date.now()): string[] {
    const applied = new Set(results.filter(r => r.outcome === "exempted").map(r => `${r.policyName}\0${r.exemption?.resource ?? ""}`));
    const out: string[] = [];
    for (const [policy, c] of Object.entries(config)) {
        if (c.enforcementLevel === "disabled" || !Array.isArray(c["exemptions"])) {
            continue;
        }
        const exemptions = c["exemptions"] as Exemption[];
        const unused: string[] = [];
        const tooWide: string[] = [];
        let unusedCount = 0;
        let tooWideCount = 0;
        for (const [i, e] of exemptions.entries()) {
            const what = () => `${where}: ${policy}: exemptions[${i}] (${JSON.stringify(e.resource)})`;
            if (!applied.has(`${policy}\0${e.resource}`) && ++unusedCount <= NAMED_EXEMPTIONS) {
                unused.push(`${what()} exempted no resource: no resource with a finding of this policy matches it`);
            }
            const everything = e.resource.length > 0 && [...e.resource].every(ch => ch === "*");
            if (everything && (e.expires === undefined || Date.parse(`${e.expires}T00:00:00Z`) - now > 365 * DAY) && ++tooWideCount <= NAMED_EXEMPTIONS) {
                tooWide.push(`${what()} exempts every resource ${e.expires === undefined ? "for ever" : `until ${e.expires}`}, more than a year`);
            }
        }
        const rest = (count: number, says: string) => count > NAMED_EXEMPTIONS
            ? [`${where}: ${policy}: and ${(count - NAMED_EXEMPTIONS).toLocaleString("en-US")} more exemptions (${count.toLocaleString("en-US")} in all) ${says}`] : [];
        out.push(...unused, ...rest(unusedCount, "exempted no resource"), ...tooWide, ...rest(tooWideCount, "exempt every resource for more than a year"));
    }
    return out;
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
    /** Called with each configuration warning (one line, e.g. an exemption that exempted nothing). */
    warn?: (message: string) => void;
    /** The most bytes read from the configuration file (default 2 GiB). */
    maxFileBytes?: number;
    /** Told of the configuration file once it is open (cli/inputs/index.ts LoadOptions.onRead). */
    onRead?: (file: string, st: import("fs").Stats) => void;
    /** The deadline of each Remediate, Analyze and AnalyzeStack call (default: none). */
    callTimeoutMs?: number;
}

export async function evaluate(stacks: StackInput[], opts: EvaluateOptions = {}): Promise<Evaluation> {
    // A missing or malformed configuration file is reported before the pack is started.
    const rawConfig = opts.configFile !== undefined ? readConfigFile(opts.configFile, opts.maxFileBytes, opts.onRead) : {};
    const pack = await startPack(packageDir(), { callTimeoutMs: opts.callTimeoutMs, endWithThisProcess: true });
    const call = <T>(file: string, r: { name: string; type: string } | undefined, p: Promise<T>) => about(file, r, p, opts.callTimeoutMs);
    try {
        const info = await pack.client.getAnalyzerInfo();
        const config = resolveConfigDocument(info, rawConfig, opts.configFile ?? "configuration");
        await pack.client.configure(config);
        // The engine calls Remediate before Analyze for every resource; only policies at level
        // "remediate" do anything there, so the call is skipped when there are none.
        const remediating = Object.values(config).some(c => c.enforcementLevel === "remediate");
        const total = stacks.reduce((n, s) => n + s.resources.length, 0);
        let done = 0;
        const results: StackResult[] = [];
        const enabled = (type: PolicyDescription["type"]) =>
            info.policies.filter(p => p.type === type && config[p.name]?.enforcementLevel !== "disabled");
        const resourcePolicies = enabled("resource");
        const stackPolicies = enabled("stack");
        for (const input of stacks) {
            const byUrn = new Map(input.resources.map(r => [r.urn, r]));
            const stackUrn = `urn:pulumi:${input.stack}::${input.project}::${STACK_TYPE}::${input.project}-${input.stack}`;
            const finding = (d: { policyName: string; level: Level; message: string; urn: string }, fallbackUrn: string): Finding => {
                const urn = d.urn || fallbackUrn;
                const r = byUrn.get(urn);
                return { policyName: d.policyName, level: d.level, message: d.message, urn, resourceName: r?.name ?? "", resourceType: r?.type ?? (urn === stackUrn ? STACK_TYPE : "") };
            };
            /** One result per policy of `policies` for `subject`, from the response(s) about it. */
            const judge = (policies: PolicyDescription[], subject: { urn: string; name: string; type: string }, fs: Finding[], na: NotApplicable[]) =>
                policies.map(p => resultOf(p.name, subject, fs.some(f => f.policyName === p.name),
                    na.find(x => x.policyName === p.name)));
            const perResource = new Array<{ findings: Finding[]; results: PolicyResult[] }>(input.resources.length);
            const remediatedPer = new Array<Remediated[]>(input.resources.length);
            let next = 0;
            const worker = async () => {
                while (next < input.resources.length) {
                    const i = next++;
                    const r = input.resources[i];
                    remediatedPer[i] = [];
                    if (r.external) {
                        // The engine does not analyze resources read with `.get()`.
                        perResource[i] = { findings: [], results: [] };
                        done++;
                        opts.progress?.(done, total);
                        continue;
                    }
                    let props = r.inputs;
                    const findings: Finding[] = [];
                    if (remediating) {
                        // The SDK chains the remediations of one call: each policy sees the
                        // previous one's result, so the last result with properties is final
                        // (one equal to the inputs changes nothing and is not reported). A
                        // remediation that could not run reports a diagnostic instead, which
                        // the engine shows as an advisory policy violation.
                        const rs = await call(input.file, r, pack.client.remediate({ type: r.type, name: r.name, urn: r.urn, props }));
                        for (const x of rs) {
                            if (x.properties && !isDeepStrictEqual(x.properties, props)) {
                                props = x.properties;
                                remediatedPer[i].push({ policyName: x.policyName, urn: r.urn, resourceName: r.name, resourceType: r.type });
                            } else if (x.diagnostic) {
                                findings.push(finding({ policyName: x.policyName, level: "advisory", message: x.diagnostic, urn: r.urn }, r.urn));
                            }
                        }
                    }
                    const res: AnalyzeResult = await call(input.file, r, pack.client.analyze({ type: r.type, name: r.name, urn: r.urn, props }));
                    findings.push(...res.diagnostics.map(d => finding(d, r.urn)));
                    perResource[i] = { findings, results: judge(resourcePolicies, r, findings, res.notApplicable) };
                    done++;
                    opts.progress?.(done, total);
                }
            };
            await Promise.all(Array.from({ length: Math.min(CONCURRENCY, input.resources.length) }, worker));
            const stackRes = await call(input.file, undefined, pack.client.analyzeStack([...input.resources.map(r => r.stackEntry),
                // A stack of AWS records says so through its root resource (the wire contract): it holds no network.
                ...(input.records ? [encodeAnalyzerResource(recordsStackRoot(input.stack))] : [])]));
            const stackFindings = stackRes.diagnostics.map(d => finding(d, stackUrn));
            const stackSubject = { urn: stackUrn, name: "", type: STACK_TYPE };
            const stackResults = judge(stackPolicies, stackSubject, stackFindings, stackRes.notApplicable);
            // A stack policy's finding about a resource makes that resource non-compliant too.
            const namedByStack = new Map<string, PolicyResult>();
            for (const f of stackFindings) {
                const r = namedByStack.has(f.urn) ? undefined : byUrn.get(f.urn);
                if (r) {
                    namedByStack.set(f.urn, resultOf(f.policyName, r, true));
                }
            }
            const all = [...perResource.flatMap(x => x.results), ...stackResults];
            results.push({
                input,
                findings: [...perResource.flatMap(x => x.findings), ...stackFindings],
                results: all,
                scores: scores([...all, ...namedByStack.values()]),
                remediated: remediatedPer.flat(),
            });
        }
        for (const w of exemptionWarnings(config, results.flatMap(s => s.results), opts.configFile ?? "configuration")) {
            opts.warn?.(w);
        }
        return { info, config, stacks: results };
    } finally {
        await pack.stop();
    }
}
