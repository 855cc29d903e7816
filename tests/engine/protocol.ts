/**
 * The engine-protocol suites' shared parts: the pack is started exactly as the Pulumi engine
 * starts it (`run-policy-pack 127.0.0.1:0 <packdir>`, cwd = pack dir) and driven over gRPC with
 * @pulumi/pulumi's analyzer stubs. Each suite runs twice (packSuite): once plainly, once with the
 * offline preload, which blocks every non-loopback connection and DNS query.
 *
 * The suites are about the policies they name: `analyze`/`analyzeStack` keep the diagnostics of
 * those policies only, so a new policy over the same resources leaves them as they are.
 */
import { RULES } from "../../policies/catalogue/index";
import { frameworkIsolationCompatibility, marketplaceNetworkIsolation, modelNetworkIsolation, trainingNetworkIsolation, vpcEndpointsPolicy as vpcEndpoints } from "../rules";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AnalyzeResult, AnalyzerResource, Level, PackProcess, startPack } from "../../cli/engine/client";
import { UNKNOWN_SENTINEL } from "../../policies/values/sentinels";

export const ROOT = path.resolve(__dirname, "..", "..");
export const PRELOAD = path.join(__dirname, "offline-preload.js");

export const STACK = "dev";
export const PROJECT = "ml";
export const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;

export const MODEL = "aws:sagemaker/model:Model";
export const PIPELINE = "aws:sagemaker/pipeline:Pipeline";
export const VPC = "aws:ec2/vpc:Vpc";
export const SUBNET = "aws:ec2/subnet:Subnet";
export const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** The catalogue's policies and their default levels, in the order the pack reports them. */
export const POLICIES: [string, Level][] = RULES.map(r => [r.name, r.enforcementLevel]);
export const MODEL_POLICY = modelNetworkIsolation.name;
export const TRAINING_POLICY = trainingNetworkIsolation.name;
export const MARKETPLACE_POLICY = marketplaceNetworkIsolation.name;
export const FRAMEWORK_POLICY = frameworkIsolationCompatibility.name;
export const VPC_POLICY = vpcEndpoints.name;

export type PolicyConfig = Record<string, { enforcementLevel: Level } & Record<string, unknown>>;

/** Every policy at its default level (what the engine sends when no config file is given). */
export function defaults(overrides: PolicyConfig = {}): PolicyConfig {
    const c: PolicyConfig = {};
    for (const [name, level] of POLICIES) {
        c[name] = { enforcementLevel: level };
    }
    return { ...c, ...overrides };
}

export function model(name: string, props: Record<string, unknown>): AnalyzerResource {
    return {
        type: MODEL, name, urn: urn(MODEL, name),
        props: { executionRoleArn: "arn:aws:iam::123456789012:role/sm", primaryContainer: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1" }, ...props },
    };
}

export const MARKETPLACE_ARN = "arn:aws:sagemaker:us-east-1:865070037744:model-package/some-listing-1a2b3c";

const NATIVE_SFN = "aws-native:stepfunctions:StateMachine";
const TRAINING_JOB = "aws:sagemaker/trainingJob:TrainingJob";

/** An aws-native state machine whose training task's parameters are `params`, text with substitution references. */
export function nativeStateMachine(name: string, params: string, subs: unknown): AnalyzerResource {
    const definitionString = `{"StartAt": "\${Step}", "States": {"\${Step}": {"Type": "Task", ` +
        `"Resource": "arn:\${Partition}:states:::sagemaker:createTrainingJob.sync", "Parameters": ${params}, "End": true}}}`;
    return { type: NATIVE_SFN, name, urn: urn(NATIVE_SFN, name), props: { roleArn: "arn:aws:iam::123456789012:role/sfn", definitionString, definitionSubstitutions: subs } };
}

export function trainingJob(name: string, image: string, props: Record<string, unknown>): AnalyzerResource {
    return {
        type: TRAINING_JOB, name, urn: urn(TRAINING_JOB, name),
        props: { roleArn: "arn:aws:iam::123456789012:role/sm", algorithmSpecification: { trainingImage: image, trainingInputMode: "File" }, ...props },
    };
}

/**
 * A private network: VPC, subnet (on the VPC's main route table), optionally an S3 gateway
 * endpoint on that route table, and a model in the subnet.
 */
export function network(opts: { endpoint: boolean; previewSubnets?: boolean; endpointVpcUnknown?: boolean }): AnalyzerResource[] {
    const vpcUrn = urn(VPC, "main");
    const subnetUrn = urn(`${VPC}$${SUBNET}`, "private-a");
    const out: AnalyzerResource[] = [
        { type: VPC, name: "main", urn: vpcUrn, props: { id: "vpc-0a1b2c3d4e5f60718", cidrBlock: "10.0.0.0/16", mainRouteTableId: "rtb-0c1d2e3f4a5b6c7d8" } },
        {
            type: SUBNET, name: "private-a", urn: subnetUrn, parent: vpcUrn,
            props: { id: "subnet-0123456789abcdef0", vpcId: "vpc-0a1b2c3d4e5f60718", cidrBlock: "10.0.1.0/24" },
            dependencies: [vpcUrn], propertyDependencies: { vpcId: [vpcUrn] },
        },
    ];
    if (opts.endpoint) {
        out.push({
            type: ENDPOINT, name: "s3", urn: urn(ENDPOINT, "s3"),
            props: {
                id: "vpce-0fedcba9876543210", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway",
                vpcId: opts.endpointVpcUnknown ? UNKNOWN_SENTINEL : "vpc-0a1b2c3d4e5f60718", routeTableIds: ["rtb-0c1d2e3f4a5b6c7d8"],
            },
            // Without property dependencies the policy falls back to the plain dependency list.
            dependencies: [vpcUrn],
        });
    }
    const m = model("isolated", {
        enableNetworkIsolation: true,
        vpcConfig: { subnets: opts.previewSubnets ? UNKNOWN_SENTINEL : ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] },
    });
    m.dependencies = [subnetUrn];
    m.propertyDependencies = { vpcConfig: [subnetUrn] };
    out.push(m);
    return out;
}

/** The policies the Analyze suite is about: the isolation, Marketplace and framework policies over models and training jobs. */
export const ANALYZED = [MODEL_POLICY, TRAINING_POLICY, MARKETPLACE_POLICY, FRAMEWORK_POLICY];

/** A response with only the diagnostics of `policies`. */
export function about(r: AnalyzeResult, policies: string[]): AnalyzeResult {
    return { ...r, diagnostics: r.diagnostics.filter(d => policies.includes(d.policyName)) };
}

/**
 * Runs `body` twice against a pack started as the engine starts it: plainly, and with the
 * offline preload; each run also checks that the pack printed nothing but its port and, offline,
 * made no attempt to reach the network.
 */
export function packSuite(title: string, body: (pack: () => PackProcess) => void): void {
    const offlineLog = path.join(os.tmpdir(), `offline-preload-${process.pid}-${title.replace(/\W+/g, "-")}.log`);
    for (const [suffix, nodeArgs, log] of [["", [], undefined], [", offline (network blocked by a preload)", ["--require", PRELOAD], offlineLog]] as const) {
        describe(title + suffix, function () {
            this.timeout(120000);
            let pack: PackProcess;
            let outputAtStart = "";
            let stdoutAfterPort = "";

            before(async () => {
                assert.ok(fs.existsSync(path.join(ROOT, "bin", "index.js")), "bin/index.js is missing: run `npm run build` first");
                fs.rmSync(offlineLog, { force: true });
                pack = await startPack(ROOT, {
                    nodeArgs: [...nodeArgs],
                    env: log ? { ...process.env, OFFLINE_PRELOAD_LOG: log } : process.env,
                    timeoutMs: 90000,
                });
                outputAtStart = pack.output();
                pack.child.stdout!.on("data", b => { stdoutAfterPort += b; });
            });

            after(async () => {
                await pack?.stop();
                fs.rmSync(offlineLog, { force: true });
            });

            body(() => pack);

            it("prints nothing but the port on stdout", () => {
                assert.strictEqual(outputAtStart, "", "output before or with the port line");
                assert.strictEqual(stdoutAfterPort, "", "stdout after the port line");
                assert.ok(pack.child.exitCode === null, "the pack is still running");
            });

            if (log) {
                it("made no attempt to reach the network", () => {
                    const attempts = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
                    assert.strictEqual(attempts, "");
                    assert.ok(!pack.output().includes("offline-preload"), pack.output());
                });
            }
        });
    }
}
