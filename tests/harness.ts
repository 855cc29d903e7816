/**
 * Runs policies through the @pulumi/policy SDK's own server functions with real protobuf
 * requests, exactly as the engine's Analyze/AnalyzeStack calls reach them: the properties are
 * encoded as a protobuf Struct, unknowns are the engine's sentinels and secrets its envelopes.
 */
import {
    Policy, ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const server = require("@pulumi/policy/server");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

/** The engine's unknown value (what it sends for any computed value during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The engine's secret envelope around a value. */
export function secret(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

export interface Diagnostic {
    policyName: string;
    message: string;
    level: "advisory" | "mandatory" | "disabled" | "remediate";
    urn: string;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

function struct(props: Record<string, unknown>) {
    return structproto.Struct.fromJavaScript(props);
}

function options() {
    const o = new analyzerproto.AnalyzerResourceOptions();
    o.setProtect(false);
    return o;
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::project::${type}::${name}`;
}

/** Overrides a policy's configuration (the engine's Configure call sets it process-wide). */
function withConfig<P extends Policy>(policy: P, config?: Record<string, unknown>): P {
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
        } as P;
    }
    return { ...policy, validateStack: (args: any, rv: any) => p.validateStack({ ...args, getConfig }, rv) } as P;
}

function diagnostics(resp: any): Diagnostic[] {
    return resp.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        level: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn(),
    }));
}

function call(fn: (call: unknown, cb: (err: unknown, resp: unknown) => void) => void, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => fn({ request }, (err, resp) => err ? reject(err) : resolve(resp)));
}

export interface ResourceInput {
    type: string;
    name?: string;
    props: Record<string, unknown>;
}

/** Analyze one resource (its inputs) with one policy, as `pulumi preview` does. */
export async function analyze(policy: Policy, r: ResourceInput, config?: Record<string, unknown>): Promise<Diagnostic[]> {
    const name = r.name ?? "res";
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(r.type);
    req.setName(name);
    req.setUrn(urnOf(r.type, name));
    req.setProperties(struct(r.props));
    req.setOptions(options());
    const fn = server.makeAnalyzeRpcFun("sagemaker-network-isolation", "0.0.0", "advisory", [withConfig(policy, config)]);
    return diagnostics(await call(fn, req));
}

export interface StackResource extends ResourceInput {
    name: string;
    dependencies?: string[];
    /** Property name → names of the resources it depends on. */
    propertyDependencies?: Record<string, string[]>;
}

/** Analyze a whole stack (resource outputs) with one stack policy. */
export async function analyzeStack(policy: Policy, resources: StackResource[], config?: Record<string, unknown>): Promise<Diagnostic[]> {
    const byName = new Map(resources.map(r => [r.name, urnOf(r.type, r.name)]));
    const urn = (n: string) => byName.get(n) ?? n;
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(resources.map(r => {
        const ar = new analyzerproto.AnalyzerResource();
        ar.setType(r.type);
        ar.setName(r.name);
        ar.setUrn(urn(r.name));
        ar.setProperties(struct(r.props));
        ar.setOptions(options());
        ar.setDependenciesList((r.dependencies ?? []).map(urn));
        const pd = ar.getPropertydependenciesMap();
        for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) {
            const deps = new analyzerproto.AnalyzerPropertyDependencies();
            deps.setUrnsList(v.map(urn));
            pd.set(k, deps);
        }
        return ar;
    }));
    const fn = server.makeAnalyzeStackRpcFun("sagemaker-network-isolation", "0.0.0", "advisory", [withConfig(policy, config)]);
    return diagnostics(await call(fn, req));
}
