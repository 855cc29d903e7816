/**
 * Runs a policy pack exactly as the Pulumi engine does, and talks to it over the analyzer
 * gRPC protocol with the stubs shipped in @pulumi/pulumi. Used by the check command, the
 * engine-protocol tests and the benchmark.
 *
 * The engine starts `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>`
 * with the pack directory as working directory, and reads the gRPC port from the first line
 * the pack prints on stdout.
 */
import { ChildProcess, spawn } from "child_process";
import { createRequire } from "module";
import * as path from "path";
import { AnalyzerResource, encodeAnalyzeRequest, encodeAnalyzerResource, encodeAnalyzeStackRequest } from "../protocol/protobuf";
import { AnalyzeResult, AnalyzerInfo, Diagnostic, LEVELS, NotApplicable, Remediation, ResolvedConfig } from "../protocol/protocol";

// The protocol stubs and the gRPC/protobuf runtimes they were generated against, loaded from
// @pulumi/pulumi's own dependencies and typed by the declarations shipped with them.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
export const proto = pulumiRequire("./proto/analyzer_pb") as typeof import("@pulumi/pulumi/proto/analyzer_pb");
const rpc = pulumiRequire("./proto/analyzer_grpc_pb") as typeof import("@pulumi/pulumi/proto/analyzer_grpc_pb");
const structpb = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const emptypb = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");

type AnalyzeResponse = import("@pulumi/pulumi/proto/analyzer_pb").AnalyzeResponse;
type RemediateResponse = import("@pulumi/pulumi/proto/analyzer_pb").RemediateResponse;

export const RUN_POLICY_PACK = pulumiRequire.resolve("./cmd/run-policy-pack");

export type { AnalyzerResource };
export type { AnalyzeResult, AnalyzerInfo, Diagnostic, Level, NotApplicable, PolicyDescription, Remediation, ResolvedConfig } from "../protocol/protocol";
export { LEVELS };

/** The request of Analyze and Remediate (one resource's inputs), as the stubs' message object. */
export function analyzeRequest(r: AnalyzerResource) {
    return proto.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r));
}

/** The request of AnalyzeStack (every resource with its outputs and dependencies), as the stubs' message object. */
export function analyzeStackRequest(resources: AnalyzerResource[]) {
    return proto.AnalyzeStackRequest.deserializeBinary(encodeAnalyzeStackRequest(resources.map(encodeAnalyzerResource)));
}

/** The diagnostics of an Analyze or AnalyzeStack response. */
export function diagnostics(resp: AnalyzeResponse): Diagnostic[] {
    return resp.getDiagnosticsList().map(d => ({
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        level: LEVELS[d.getEnforcementlevel()] ?? "advisory",
        urn: d.getUrn(),
    }));
}

/** The not-applicable list of an Analyze, AnalyzeStack or Remediate response. */
export function notApplicable(resp: AnalyzeResponse | RemediateResponse): NotApplicable[] {
    return resp.getNotApplicableList().map(x => ({ policyName: x.getPolicyName(), reason: x.getReason() }));
}

/** Diagnostics and not-applicable list of an Analyze or AnalyzeStack response. */
export function analyzeResult(resp: AnalyzeResponse): AnalyzeResult {
    return { diagnostics: diagnostics(resp), notApplicable: notApplicable(resp) };
}

/** The remediations of a Remediate response. */
export function remediations(resp: RemediateResponse): Remediation[] {
    return resp.getRemediationsList().map(x => ({
        policyName: x.getPolicyname(),
        properties: x.getProperties()?.toJavaScript(),
        diagnostic: x.getDiagnostic(),
    }));
}

/** A client for a running analyzer. */
export class AnalyzerClient {
    private readonly client: InstanceType<typeof rpc.AnalyzerClient>;

    /** `callTimeoutMs`: the deadline of each Analyze, AnalyzeStack and Remediate call (none if undefined). */
    constructor(address: string, private readonly callTimeoutMs?: number) {
        this.client = new rpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
    }

    /** Resolves with a unary call's response: `start` makes the call with the callback given. */
    private static settle<T>(start: (callback: (err: Error | null, resp?: T) => void) => void): Promise<T> {
        return new Promise((resolve, reject) => start((err, resp) => err ? reject(err) : resolve(resp!)));
    }

    /** A call whose request is already encoded (cli/protocol/protobuf.ts); the response is decoded by the stubs. */
    private callEncoded<T>(method: "Analyze" | "AnalyzeStack" | "Remediate", bytes: Buffer, decode: (b: Uint8Array) => T): Promise<T> {
        const options: import("@grpc/grpc-js").CallOptions = this.callTimeoutMs === undefined ? {} : { deadline: Date.now() + this.callTimeoutMs };
        return AnalyzerClient.settle<T>(cb => this.client.makeUnaryRequest(`/pulumirpc.Analyzer/${method}`,
            (b: Buffer) => b, (b: Buffer) => decode(new Uint8Array(b)), bytes, new grpc.Metadata(), options, cb));
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info = await AnalyzerClient.settle<import("@pulumi/pulumi/proto/analyzer_pb").AnalyzerInfo>(
            cb => this.client.getAnalyzerInfo(new emptypb.Empty(), cb));
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            policies: info.getPoliciesList().map(p => {
                const fw = p.getFramework();
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    type: (["unknown", "resource", "stack"] as const)[p.getPolicyType()] ?? "unknown",
                    description: p.getDescription(),
                    level: LEVELS[p.getEnforcementlevel()],
                    severity: p.getSeverity(),
                    url: p.getUrl(),
                    tags: p.getTagsList(),
                    remediationSteps: p.getRemediationSteps(),
                    framework: fw ? {
                        name: fw.getName(), version: fw.getVersion(),
                        reference: fw.getReference(), specification: fw.getSpecification(),
                    } : undefined,
                    configSchema: schema ? {
                        properties: schema.getProperties()?.toJavaScript() ?? {},
                        required: schema.getRequiredList(),
                    } : undefined,
                };
            }),
        };
    }

    /** The engine's Configure call: policy name → level and settings. */
    async configure(config: ResolvedConfig): Promise<void> {
        const req = new proto.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const { enforcementLevel, ...props } = c;
            const pc = new proto.PolicyConfig();
            pc.setEnforcementlevel(LEVELS.indexOf(enforcementLevel));
            pc.setProperties(structpb.Struct.fromJavaScript(props as Record<string, import("google-protobuf/google/protobuf/struct_pb").JavaScriptValue>));
            map.set(name, pc);
        }
        await AnalyzerClient.settle(cb => this.client.configure(req, cb));
    }

    async analyze(r: AnalyzerResource): Promise<AnalyzeResult> {
        return analyzeResult(await this.callEncoded("Analyze", encodeAnalyzeRequest(r), b => proto.AnalyzeResponse.deserializeBinary(b)));
    }

    /** AnalyzeStack with the resources, or with resources already encoded by encodeAnalyzerResource. */
    async analyzeStack(resources: AnalyzerResource[] | Uint8Array[]): Promise<AnalyzeResult> {
        const encoded = resources.map(r => r instanceof Uint8Array ? r : encodeAnalyzerResource(r));
        return analyzeResult(await this.callEncoded("AnalyzeStack", encodeAnalyzeStackRequest(encoded), b => proto.AnalyzeResponse.deserializeBinary(b)));
    }

    async remediate(r: AnalyzerResource): Promise<Remediation[]> {
        return remediations(await this.callEncoded("Remediate", encodeAnalyzeRequest(r), b => proto.RemediateResponse.deserializeBinary(b)));
    }

    close(): void {
        this.client.close();
    }
}

export interface PackProcess {
    port: number;
    client: AnalyzerClient;
    child: ChildProcess;
    /** What the pack wrote to stdout after the port, and to stderr (for diagnosis). */
    output: () => string;
    stop: () => Promise<void>;
}

/** The signals after which the pack is ended with this process (then this process ends by the same signal). */
const ENDING_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Ends `child` when this process exits or is ended by SIGINT, SIGTERM or SIGHUP, so the pack is
 * never left running alone; returns what undoes it.
 */
function endWithThisProcess(child: ChildProcess): () => void {
    const onExit = () => { child.kill(); };
    const onSignal = (signal: NodeJS.Signals) => {
        child.kill();
        undo();
        process.kill(process.pid, signal); // the default action, now that no handler is left
    };
    const undo = () => {
        process.off("exit", onExit);
        ENDING_SIGNALS.forEach(s => process.off(s, onSignal));
    };
    process.on("exit", onExit);
    ENDING_SIGNALS.forEach(s => process.on(s, onSignal));
    return undo;
}

export interface StartOptions {
    /** Node options before the script (e.g. `--require` a preload). */
    nodeArgs?: string[];
    env?: NodeJS.ProcessEnv;
    /** How long the pack may take to print its port (default 60 s). */
    timeoutMs?: number;
    /** The deadline of each Analyze, AnalyzeStack and Remediate call (default: none). */
    callTimeoutMs?: number;
    /** End the pack when this process exits or is ended by a signal (the check command). */
    endWithThisProcess?: boolean;
}

/**
 * Starts the pack in `packDir` as the engine does and connects to it. Rejects if the pack exits
 * or prints no port.
 */
export function startPack(packDir: string, opts: StartOptions = {}): Promise<PackProcess> {
    const dir = path.resolve(packDir);
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), RUN_POLICY_PACK, "127.0.0.1:0", dir], {
        cwd: dir,
        env: opts.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let firstLine: string | undefined;
    const release = opts.endWithThisProcess ? endWithThisProcess(child) : () => undefined;
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => fail(new Error(`the pack printed no port within ${opts.timeoutMs ?? 60000} ms`)), opts.timeoutMs ?? 60000);
        const fail = (e: Error) => {
            clearTimeout(timer);
            release();
            child.kill();
            reject(new Error(`${e.message}\n${out}`));
        };
        child.stderr.on("data", (b: Buffer) => { out += b.toString(); });
        child.stdout.on("data", (b: Buffer) => {
            out += b.toString();
            if (firstLine !== undefined) {
                return;
            }
            const nl = out.indexOf("\n");
            if (nl < 0) {
                return;
            }
            firstLine = out.slice(0, nl).trim();
            out = out.slice(nl + 1);
            const port = Number(firstLine);
            if (!/^\d+$/.test(firstLine) || port <= 0) {
                fail(new Error(`the pack's first stdout line is not a port: ${JSON.stringify(firstLine.slice(0, 200))}`));
                return;
            }
            clearTimeout(timer);
            const client = new AnalyzerClient(`127.0.0.1:${port}`, opts.callTimeoutMs);
            resolve({
                port, client, child,
                output: () => out,
                stop: () => new Promise<void>(res => {
                    client.close();
                    if (child.exitCode !== null || child.signalCode !== null) {
                        release();
                        res();
                        return;
                    }
                    child.once("exit", () => { release(); res(); });
                    child.kill();
                }),
            });
        });
        child.once("error", fail);
        child.once("exit", code => {
            if (firstLine === undefined) {
                fail(new Error(`the pack exited (code ${code}) before printing its port`));
            }
        });
    });
}
