/**
 * Runs policies through the @pulumi/policy SDK's own server functions with real protobuf
 * requests, exactly as the engine's Analyze/AnalyzeStack calls reach them: the properties are
 * encoded as a protobuf Struct, unknowns are the engine's sentinels and secrets its envelopes.
 */
import {
    Policy, ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { AnalyzeResult, analyzeRequest, analyzeResult, analyzeStackRequest, Diagnostic } from "../cli/engine/client";
import { secretEnvelope } from "../policies/values/sentinels";
import type { Isolation } from "../policies/workloads";
const server = require("@pulumi/policy/server");

export { AnalyzeResult, Diagnostic };
export { UNKNOWN_SENTINEL } from "../policies/values/sentinels";

/** How tests name an isolation state: `on`, `off`, `absent`, `unknown`, `dynamic` or `sealed`. */
export function isolationName(s: Isolation): string {
    return typeof s === "symbol" ? s.description ?? "" : s;
}

/** The engine's secret envelope around a value. */
export const secret = secretEnvelope;

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::project::${type}::${name}`;
}

/**
 * Overrides a policy's configuration (the engine's Configure call sets it process-wide). A policy
 * disabled by default runs at advisory, as a configuration that turns it on would run it.
 */
function withConfig<P extends Policy>(given: P, config?: Record<string, unknown>): P {
    const policy: P = given.enforcementLevel === "disabled" ? { ...given, enforcementLevel: "advisory" } : given;
    if (!config) {
        return policy;
    }
    const getConfig = (<T extends object>() => config as T);
    const p = policy as unknown as ResourceValidationPolicy & StackValidationPolicy;
    if (p.validateResource) {
        const vs = ([] as ResourceValidation[]).concat(p.validateResource);
        return {
            ...policy,
            validateResource: vs.map(v => (args: ResourceValidationArgs, rv: ReportViolation) => v({ ...args, getConfig }, rv)),
        };
    }
    return { ...policy, validateStack: (args: StackValidationArgs, rv: ReportViolation) => p.validateStack({ ...args, getConfig }, rv) };
}

/** Calls one of the SDK's RPC handlers as gRPC would. */
export function call<T>(fn: (call: unknown, cb: (err: unknown, resp: T) => void) => void, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => fn({ request }, (err, resp) => err ? reject(err instanceof Error ? err : new Error(JSON.stringify(err))) : resolve(resp)));
}

export interface ResourceInput {
    type: string;
    name?: string;
    props: Record<string, unknown>;
}

/** Analyze one resource (its inputs) with one policy, as `pulumi preview` does: the whole response. */
export async function analyzeResource(policy: Policy, r: ResourceInput, config?: Record<string, unknown>): Promise<AnalyzeResult> {
    const name = r.name ?? "res";
    const req = analyzeRequest({ type: r.type, name, urn: urnOf(r.type, name), props: r.props });
    const fn = server.makeAnalyzeRpcFun("sagemaker-network-isolation", "0.0.0", "advisory", [withConfig(policy, config)]);
    return analyzeResult(await call(fn, req));
}

/** The diagnostics of analyzeResource. */
export async function analyze(policy: Policy, r: ResourceInput, config?: Record<string, unknown>): Promise<Diagnostic[]> {
    return (await analyzeResource(policy, r, config)).diagnostics;
}

export interface StackResource extends ResourceInput {
    name: string;
    /** Its URN, when not the one urnOf gives (e.g. the root of a stack of AWS records). */
    urn?: string;
    dependencies?: string[];
    /** Property name → names of the resources it depends on. */
    propertyDependencies?: Record<string, string[]>;
}

/** Analyze a whole stack (resource outputs) with one stack policy: the whole response. */
export async function analyzeStackResult(policy: Policy, resources: StackResource[], config?: Record<string, unknown>): Promise<AnalyzeResult> {
    const byName = new Map(resources.map(r => [r.name, r.urn ?? urnOf(r.type, r.name)]));
    const urn = (n: string) => byName.get(n) ?? n;
    const req = analyzeStackRequest(resources.map(r => ({
        type: r.type, name: r.name, urn: urn(r.name), props: r.props,
        dependencies: (r.dependencies ?? []).map(urn),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(urn)])),
    })));
    const fn = server.makeAnalyzeStackRpcFun("sagemaker-network-isolation", "0.0.0", "advisory", [withConfig(policy, config)]);
    return analyzeResult(await call(fn, req));
}

/** The diagnostics of analyzeStackResult. */
export async function analyzeStack(policy: Policy, resources: StackResource[], config?: Record<string, unknown>): Promise<Diagnostic[]> {
    return (await analyzeStackResult(policy, resources, config)).diagnostics;
}
