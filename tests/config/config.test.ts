/**
 * Every configuration option: its default, a valid setting, and an invalid one, validated
 * against the schemas the policies declare (what Pulumi Cloud and `--policy-pack-config`
 * enforce), and the rollout files under config/.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveConfig } from "../../cli/engine/config";
import { exemptionWarnings } from "../../cli/engine/evaluate";
import { closest } from "../../policies/values/suggest";
import { AnalyzerInfo, Level } from "../../cli/engine/client";
import { PACK_NAME, policies } from "../../policies/catalogue/index";
import {
    FRAMEWORK, IN_VPC, MARKETPLACE as MARKET, MODEL, NOTEBOOK, PROCESSING, STUDIO, TRAINING, VPC_ENDPOINTS as VPC,
} from "../rules";

const info: AnalyzerInfo = {
    name: PACK_NAME,
    version: "0.0.0",
    supportsConfig: true,
    policies: policies.map(p => ({
        name: p.name, type: "validateStack" in p ? "stack" : "resource", description: p.description, level: p.enforcementLevel as Level, severity: 0, url: "",
        tags: [], remediationSteps: "",
        configSchema: { properties: p.configSchema?.properties ?? {}, required: p.configSchema?.required ?? [] },
    })),
};

const CONFIG_DIR = path.join(__dirname, "..", "..", "config");
/** Where the tests write configuration files: made when first needed, removed after each suite. */
let tmp = "";
let n = 0;
function removeTmp() {
    if (tmp) {
        fs.rmSync(tmp, { recursive: true, force: true });
        tmp = "";
    }
}
function resolve(config: unknown) {
    tmp ||= fs.mkdtempSync(path.join(os.tmpdir(), "sni-config-"));
    const file = path.join(tmp, `c${n++}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    return resolveConfig(info, file);
}
function rejects(config: unknown, message: RegExp) {
    assert.throws(() => resolve(config), (e: Error) => message.test(e.message), `expected ${message} for ${JSON.stringify(config)}`);
}


describe("configuration", () => {
    after(removeTmp);

    it("every policy has a schema with a default for every setting", () => {
        for (const p of policies) {
            const props = Object.entries(p.configSchema?.properties ?? {});
            assert.ok(props.length > 0, `${p.name} has settings`);
            for (const [k, s] of props) {
                assert.notStrictEqual((s as { default?: unknown }).default, undefined, `${p.name}.${k} has a default`);
            }
        }
    });

    it("defaults: the documented levels and settings", () => {
        const c = resolveConfig(info);
        assert.deepStrictEqual(c[MODEL], { exemptions: [], enforcementLevel: "advisory" });
        assert.deepStrictEqual(c[MARKET], { marketplaceAccountIds: [], ownAccountIds: [], exemptions: [], enforcementLevel: "mandatory" });
        assert.deepStrictEqual(c[FRAMEWORK], { frameworks: ["chainer", "huggingface", "mxnet", "pytorch", "rl", "scikit-learn", "tensorflow", "xgboost"], exemptions: [], enforcementLevel: "advisory" });
        assert.deepStrictEqual(c[VPC], {
            requiredServices: ["s3"], requiredServicesWithoutIsolation: [], requiredServicesForNotebooks: ["sagemaker.api", "sagemaker.runtime", "s3"],
            requiredServicesForStudio: ["sagemaker.api", "sagemaker.runtime", "s3"], natCounts: false, unresolvedVpc: "report", centralizedEndpoints: [], externalSubnets: [],
            exemptions: [], enforcementLevel: "advisory",
        });
        assert.deepStrictEqual(c[NOTEBOOK], { allowedSubnetIds: [], exemptions: [], enforcementLevel: "advisory" });
        assert.deepStrictEqual(c[STUDIO], { exemptions: [], enforcementLevel: "advisory" });
        assert.deepStrictEqual(c[IN_VPC], { exemptions: [], enforcementLevel: "disabled" });
    });

    it("\"all\" sets every policy's level, a policy disabled by default included; a policy's own entry wins", () => {
        const c = resolve({ all: "mandatory", [FRAMEWORK]: "advisory" });
        for (const p of policies) {
            assert.strictEqual(c[p.name].enforcementLevel, p.name === FRAMEWORK ? "advisory" : "mandatory", p.name);
        }
        assert.strictEqual(c[IN_VPC].enforcementLevel, "mandatory");
    });

    it("valid settings of every option are accepted", () => {
        const c = resolve({
            [MODEL]: { enforcementLevel: "remediate", exemptions: [{ resource: "legacy-*", reason: "vendor", expires: "2027-01-31" }, { resource: "urn:pulumi:*", reason: "r" }] },
            [TRAINING]: { exemptions: [] },
            [PROCESSING]: "disabled",
            [MARKET]: { marketplaceAccountIds: ["111122223333"], ownAccountIds: ["123456789012"] },
            [FRAMEWORK]: { frameworks: ["chainer"] },
            [VPC]: {
                requiredServices: ["s3", "sagemaker.api", "ecr.dkr"], requiredServicesWithoutIsolation: ["sts", "logs"], unresolvedVpc: "ignore",
                requiredServicesForNotebooks: ["s3", "notebook"], requiredServicesForStudio: ["s3", "studio", "servicecatalog"], natCounts: true,
                centralizedEndpoints: ["tgw-0123456789abcdef0", "*"], externalSubnets: ["subnet-0123456789abcdef0"],
            },
            [NOTEBOOK]: { allowedSubnetIds: ["subnet-0a1b2c3d", "subnet-0123456789abcdef0"] },
            [IN_VPC]: "advisory",
        });
        assert.deepStrictEqual(c[NOTEBOOK].allowedSubnetIds, ["subnet-0a1b2c3d", "subnet-0123456789abcdef0"]);
        assert.strictEqual(c[IN_VPC].enforcementLevel, "advisory");
        assert.strictEqual(c[MODEL].enforcementLevel, "remediate");
        assert.strictEqual(c[PROCESSING].enforcementLevel, "disabled");
        assert.deepStrictEqual(c[FRAMEWORK].frameworks, ["chainer"]);
        assert.strictEqual(c[VPC].unresolvedVpc, "ignore");
        assert.strictEqual(c[VPC].natCounts, true);
    });

    it("invalid settings of every option are rejected with a message naming the policy and setting", () => {
        rejects({ [MODEL]: { exemptions: [{ resource: "x" }] } }, new RegExp(`${MODEL}: exemptions\\[0\\] must have required property 'reason'`));
        rejects({ [MODEL]: { exemptions: [{ resource: "x", reason: "" }] } }, /exemptions\[0\]\.reason/);
        rejects({ [MODEL]: { exemptions: [{ resource: "x", reason: "   " }] } }, /exemptions\[0\]\.reason must not be blank/);
        rejects({ [MODEL]: { exemptions: [{ resource: "x", reason: "r", expires: "31/12/2026" }] } }, /exemptions\[0\]\.expires must be a date \(expected YYYY-MM-DD, e\.g\. 2027-03-31\)/);
        rejects({ [MODEL]: { exemptions: [{ resource: "x", reason: "r", until: "2026-12-31" }] } }, /unknown property "until"/);
        rejects({ [MODEL]: { exemptions: [{ resource: "x", reason: "r" }, { resource: "y", reason: "r", expires: "2026-02-30" }] } },
            new RegExp(`${MODEL}: exemptions\\[1\\]\\.expires must be a real calendar date`));
        rejects({ [TRAINING]: { exemptions: "none" } }, /exemptions must be array/);
        rejects({ [MARKET]: { marketplaceAccountIds: ["12345"] } }, /marketplaceAccountIds\[0\] is not valid: An AWS account id: 12 digits\./);
        rejects({ [MARKET]: { ownAccountIds: "123456789012" } }, /ownAccountIds must be array/);
        rejects({ [FRAMEWORK]: { frameworks: ["caffe"] } }, /frameworks\[0\] must be one of "chainer", "huggingface", "mxnet", "pytorch", "rl", "scikit-learn", "tensorflow", "xgboost"/);
        rejects({ [VPC]: { requiredServices: "s3" } }, /requiredServices must be array/);
        // Service names are AWS's endpoint services (policies/facts/endpoint-services), with the closest name suggested.
        rejects({ [VPC]: { requiredServices: ["S3 "] } }, /requiredServices\[0\] is not valid: A service's short name.* \(did you mean "s3"\?\)$/);
        rejects({ [VPC]: { requiredServicesWithoutIsolation: ["sagemaker-runtime"] } },
            /requiredServicesWithoutIsolation\[0\] is not valid: A service's short name, .*one AWS offers VPC endpoints for\. \(did you mean "sagemaker\.runtime"\?\)$/);
        rejects({ [VPC]: { requiredServicesForStudio: ["s3", "sagemaker.apii"] } }, /requiredServicesForStudio\[1\] is not valid: .*\(did you mean "sagemaker\.api"\?\)$/);
        rejects({ [VPC]: { requiredServices: ["no-such-service-at-all"] } }, /requiredServices\[0\] is not valid: A service's short name, .*endpoints for\.$/);
        // A full endpoint service name would become com.amazonaws.<region>.com.amazonaws...: refused, saying what is meant.
        for (const full of ["com.amazonaws.us-east-1.s3", "cn.com.amazonaws.cn-north-1.s3", "aws.sagemaker.us-east-1.notebook"]) {
            rejects({ [VPC]: { requiredServicesForNotebooks: ["s3", full] } },
                /requiredServicesForNotebooks\[1\] is not valid: A service's short name, the part after com\.amazonaws\.<region>\. \(e\.g\. s3, sagemaker\.api\), not its full endpoint service name/);
        }
        rejects({ [VPC]: { centralizedEndpoints: "*" } }, /centralizedEndpoints must be array/);
        rejects({ [VPC]: { centralizedEndpoints: ["transit-hub"] } }, /centralizedEndpoints\[0\] is not valid: A transit gateway id/);
        rejects({ [VPC]: { externalSubnets: ["vpc-0abc"] } }, /externalSubnets\[0\] is not valid: A subnet id/);
        rejects({ [VPC]: { requiredServicesWithoutIsolation: "sts" } }, /requiredServicesWithoutIsolation must be array/);
        rejects({ [VPC]: { requiredServicesForNotebooks: ["sagemaker api"] } }, /requiredServicesForNotebooks\[0\] is not valid: A service's short name.*\(did you mean "sagemaker\.api"\?\)/);
        rejects({ [VPC]: { requiredServicesForStudio: "s3" } }, /requiredServicesForStudio must be array/);
        rejects({ [VPC]: { natCounts: "yes" } }, /natCounts must be boolean/);
        rejects({ [VPC]: { unresolvedVpc: "warn" } }, /unresolvedVpc must be one of "report", "ignore"/);
        rejects({ [NOTEBOOK]: { allowedSubnetIds: ["sg-0123abcd"] } }, new RegExp(`${NOTEBOOK}: allowedSubnetIds\\[0\\] is not valid: A subnet id`));
        rejects({ [NOTEBOOK]: { allowedSubnetIds: "subnet-0a1b2c3d" } }, /allowedSubnetIds must be array/);
        rejects({ [MODEL]: "strict" }, /enforcementLevel must be one of/);
        rejects({ "sagemaker-everything": "mandatory" }, /unknown policy "sagemaker-everything"/);
    });

    describe("rollout files under config/", () => {
        const expected: Record<string, Record<string, Level>> = {
            "stage1-advisory.json": {
                [MODEL]: "advisory", [TRAINING]: "advisory", [PROCESSING]: "advisory", [MARKET]: "mandatory", [FRAMEWORK]: "advisory", [VPC]: "advisory",
                [NOTEBOOK]: "advisory", [STUDIO]: "advisory", [IN_VPC]: "disabled",
            },
            "stage2-per-policy-mandatory.json": {
                [MODEL]: "mandatory", [TRAINING]: "mandatory",
                [PROCESSING]: "advisory", [MARKET]: "mandatory", [FRAMEWORK]: "advisory", [VPC]: "advisory",
                [NOTEBOOK]: "advisory", [STUDIO]: "advisory", [IN_VPC]: "disabled",
            },
            "stage3-all-mandatory.json": {
                [MODEL]: "mandatory", [TRAINING]: "mandatory",
                [PROCESSING]: "mandatory", [MARKET]: "mandatory", [FRAMEWORK]: "advisory", [VPC]: "mandatory",
                [NOTEBOOK]: "mandatory", [STUDIO]: "mandatory", [IN_VPC]: "mandatory",
            },
            "remediate.json": { [MODEL]: "remediate", [TRAINING]: "remediate", [FRAMEWORK]: "advisory" },
        };
        it("covers every file", () => {
            assert.deepStrictEqual(fs.readdirSync(CONFIG_DIR).filter(f => f.endsWith(".json")).sort(), Object.keys(expected).sort());
        });
        const stages = Object.keys(expected).filter(f => f.startsWith("stage")).sort();
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, file), "utf8")) as Record<string, unknown>;
        /** `policy.setting` for every setting other than the level a stage file sets. */
        const settingsOf = (doc: Record<string, unknown>) => Object.entries(doc).flatMap(([policy, v]) =>
            typeof v === "object" && v !== null ? Object.keys(v).filter(k => k !== "enforcementLevel").map(k => `${policy}.${k}`) : []);
        it("stages only add: each later stage sets every setting an earlier one sets", () => {
            for (const [i, file] of stages.entries()) {
                for (const later of stages.slice(i + 1)) {
                    const missing = settingsOf(read(file)).filter(k => !settingsOf(read(later)).includes(k));
                    assert.deepStrictEqual(missing, [], `${later} drops settings of ${file}`);
                }
            }
        });
        it("every stage file names every policy of the catalogue", () => {
            for (const file of stages) {
                const doc = read(file);
                assert.deepStrictEqual(policies.map(p => p.name).filter(n => !(n in doc)), [], `${file} does not name them`);
            }
        });
        for (const [file, levels] of Object.entries(expected)) {
            it(`${file} is valid and sets the stage's levels`, () => {
                const c = resolveConfig(info, path.join(CONFIG_DIR, file));
                for (const [policy, level] of Object.entries(levels)) {
                    assert.strictEqual(c[policy].enforcementLevel, level, `${file}: ${policy}`);
                }
            });
        }
    });
});

describe("configuration mistakes", () => {
    after(removeTmp);

    it("an exemption that exempted nothing, or that covers every resource for more than a year, is warned about", () => {
        const now = Date.parse("2026-12-05T00:00:00Z");
        const config = {
            [MODEL]: {
                enforcementLevel: "advisory" as const, exemptions: [
                    { resource: "fraud-scorrer", reason: "typo" },
                    { resource: "legacy-*", reason: "used", expires: "2027-01-31" },
                    { resource: "*", reason: "everything", expires: "2028-06-30" },
                    { resource: "**", reason: "everything, briefly", expires: "2027-01-31" },
                ],
            },
            [TRAINING]: { enforcementLevel: "disabled" as const, exemptions: [{ resource: "x", reason: "disabled policies are not judged" }] },
        };
        const exempted = (resource: string) => ({
            policyName: MODEL, urn: "u", resourceName: "n", resourceType: "t", outcome: "exempted" as const, exemption: { resource, reason: "r" },
        });
        assert.deepStrictEqual(exemptionWarnings(config, [exempted("legacy-*"), exempted("*"), exempted("**")], "c.json", now), [
            `c.json: ${MODEL}: exemptions[0] ("fraud-scorrer") exempted no resource: no resource with a finding of this policy matches it`,
            `c.json: ${MODEL}: exemptions[2] ("*") exempts every resource until 2028-06-30, more than a year`,
        ]);
    });

    it("suggestions: the closest name, whatever the letter case; none when nothing is close", () => {
        assert.strictEqual(closest("enforcementlevel", ["exemptions", "enforcementLevel"]), "enforcementLevel");
        assert.strictEqual(closest("requiredService", ["requiredServices", "unresolvedVpc"]), "requiredServices");
        assert.strictEqual(closest("m", ["n", "exemptions"]), "n");
        assert.strictEqual(closest("colour", ["exemptions", "frameworks"]), undefined);
        assert.strictEqual(closest("x".repeat(10000), ["x"]), undefined);
    });
});
