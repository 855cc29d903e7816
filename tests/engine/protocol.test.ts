/**
 * The engine protocol, resource by resource: GetAnalyzerInfo, Configure, Analyze and Remediate,
 * over gRPC with the pack started as the engine starts it (tests/engine/protocol.ts), plainly and
 * offline.
 */
import * as assert from "assert";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { AnalyzerResource } from "../../cli/engine/client";
import { PACK_NAME, PACK_VERSION } from "../../policies/catalogue/index";
import { secretEnvelope as secret, UNKNOWN_SENTINEL } from "../../policies/values/sentinels";
import {
    about, ANALYZED, defaults, FRAMEWORK_POLICY, MARKETPLACE_ARN, MARKETPLACE_POLICY, model, MODEL_POLICY, nativeStateMachine, packSuite, PIPELINE, POLICIES,
    TRAINING_POLICY, trainingJob, urn, VPC_POLICY,
} from "./protocol";

packSuite("engine protocol", pack => {
    /** Analyze, keeping the diagnostics of the policies this suite is about. */
    const analyze = async (r: AnalyzerResource) => about(await pack().client.analyze(r), ANALYZED);

    it("GetAnalyzerInfo: name, version, policies, levels, metadata and config schemas", async () => {
        const info = await pack().client.getAnalyzerInfo();
        assert.strictEqual(info.name, PACK_NAME);
        assert.strictEqual(info.version, PACK_VERSION);
        assert.strictEqual(info.supportsConfig, true);
        assert.deepStrictEqual(info.policies.map(p => [p.name, p.level]), POLICIES);
        const ajv = addFormats(new Ajv({ strict: false }));
        for (const p of info.policies) {
            assert.ok(p.description.length > 20, `${p.name}: description`);
            assert.ok(p.remediationSteps.length > 20, `${p.name}: remediationSteps`);
            assert.ok(p.url.endsWith(`#${p.name}`), `${p.name}: url ${p.url}`);
            assert.ok(p.tags.includes("sagemaker"), `${p.name}: tags`);
            assert.ok(p.severity >= 2 && p.severity <= 3, `${p.name}: severity ${p.severity} (medium or high)`);
            assert.ok(p.configSchema, `${p.name}: configSchema`);
            // Each schema must be a valid JSON schema the CLI (and Pulumi) can validate against.
            ajv.compile({ type: "object", properties: p.configSchema.properties, required: p.configSchema.required });
        }
        const byName = new Map(info.policies.map(p => [p.name, p]));
        assert.strictEqual(byName.get(MODEL_POLICY)!.framework?.reference, "SageMaker.5");
        assert.strictEqual(byName.get(MODEL_POLICY)!.severity, 3); // high
        for (const p of info.policies) {
            assert.ok("exemptions" in p.configSchema!.properties, `${p.name}: exemptions`);
        }
        assert.deepStrictEqual(Object.keys(byName.get(MARKETPLACE_POLICY)!.configSchema!.properties).sort(),
            ["exemptions", "marketplaceAccountIds", "ownAccountIds"]);
        assert.deepStrictEqual((byName.get(VPC_POLICY)!.configSchema!.properties["requiredServices"] as { default: unknown }).default, ["s3"]);
    });

    it("Analyze at the default levels: a model without isolation is an advisory violation", async () => {
        await pack().client.configure(defaults());
        const d = (await analyze(model("plain", {}))).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "advisory"]]);
        assert.match(d[0].message, /^plain: enableNetworkIsolation is not set/);
        assert.deepStrictEqual((await analyze(model("iso", { enableNetworkIsolation: true }))).diagnostics, []);
    });

    it("Configure: levels and settings reach the policies", async () => {
        await pack().client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "mandatory" } }));
        let d = (await analyze(model("plain", { enableNetworkIsolation: false }))).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "mandatory"]]);

        await pack().client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "disabled" } }));
        assert.deepStrictEqual((await analyze(model("plain", { enableNetworkIsolation: false }))).diagnostics, []);

        // "remediate" is reported as mandatory by Analyze (the SDK downgrades it).
        await pack().client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "remediate" } }));
        d = (await analyze(model("plain", { enableNetworkIsolation: false }))).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "mandatory"]]);

        // An exemption turns the violation into a not-applicable result that names it.
        await pack().client.configure(defaults({
            [MODEL_POLICY]: { enforcementLevel: "mandatory", exemptions: [{ resource: "legacy-*", reason: "vendor needs PyPI" }] },
        }));
        const exempted = await analyze(model("legacy-scorer", {}));
        assert.deepStrictEqual(exempted.diagnostics, []);
        assert.deepStrictEqual(exempted.notApplicable.filter(x => x.policyName === MODEL_POLICY),
            [{ policyName: MODEL_POLICY, reason: 'Exempted by "legacy-*": vendor needs PyPI' }]);

        // Marketplace settings: with ownAccountIds, any other account's model package counts.
        const other = model("third-party", { primaryContainer: { modelPackageName: "arn:aws:sagemaker:us-east-1:111122223333:model-package/pkg" } });
        await pack().client.configure(defaults());
        assert.deepStrictEqual((await analyze(other)).diagnostics.map(x => x.policyName), [MODEL_POLICY]);
        await pack().client.configure(defaults({ [MARKETPLACE_POLICY]: { enforcementLevel: "mandatory", ownAccountIds: ["123456789012"] } }));
        d = (await analyze(other)).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]).sort(), [[MARKETPLACE_POLICY, "mandatory"], [MODEL_POLICY, "advisory"]]);
    });

    it("Analyze: a Marketplace model package without isolation is mandatory", async () => {
        await pack().client.configure(defaults());
        const d = (await analyze(model("mp", { enableNetworkIsolation: false, primaryContainer: { modelPackageName: MARKETPLACE_ARN } }))).diagnostics;
        const mp = d.find(x => x.policyName === MARKETPLACE_POLICY);
        assert.ok(mp, JSON.stringify(d));
        assert.strictEqual(mp.level, "mandatory");
        assert.match(mp.message, /Marketplace model package \(account 865070037744\)/);
    });

    it("Analyze: unknown sentinels (preview) give an advisory note, never a violation", async () => {
        await pack().client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "mandatory" } }));
        let d = (await analyze(model("later", { enableNetworkIsolation: UNKNOWN_SENTINEL }))).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[MODEL_POLICY, "advisory"]]);
        assert.match(d[0].message, /^Cannot check during preview:/);

        // A Marketplace ARN not known yet with isolation off: a note from the Marketplace policy.
        d = (await analyze(model("later-mp", { enableNetworkIsolation: true, primaryContainer: { modelPackageName: UNKNOWN_SENTINEL } }))).diagnostics;
        assert.deepStrictEqual(d, []);
        d = (await analyze(model("later-mp", { enableNetworkIsolation: false, primaryContainer: { modelPackageName: UNKNOWN_SENTINEL } }))).diagnostics;
        const mp = d.find(x => x.policyName === MARKETPLACE_POLICY)!;
        assert.strictEqual(mp.level, "advisory");
        assert.match(mp.message, /^Cannot check during preview:/);

        // A whole pipeline definition not known yet.
        d = (await analyze({ type: PIPELINE, name: "p", urn: urn(PIPELINE, "p"), props: { pipelineName: "p", pipelineDefinition: UNKNOWN_SENTINEL } })).diagnostics;
        assert.ok(d.length >= 1 && d.every(x => x.level === "advisory" && x.message.startsWith("Cannot check during preview:")), JSON.stringify(d));
    });

    it("Analyze: secret envelopes are unwrapped as the engine sends them", async () => {
        await pack().client.configure(defaults());
        let d = (await analyze(model("s-off", { enableNetworkIsolation: secret(false) }))).diagnostics;
        assert.deepStrictEqual(d.map(x => x.policyName), [MODEL_POLICY]);
        assert.match(d[0].message, /is not true/);
        assert.deepStrictEqual((await analyze(model("s-on", { enableNetworkIsolation: secret(true) }))).diagnostics, []);
        // A secret deep inside: the Marketplace ARN of the container.
        d = (await analyze(model("s-mp", { primaryContainer: secret({ modelPackageName: MARKETPLACE_ARN }) }))).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]).sort(), [[MARKETPLACE_POLICY, "mandatory"], [MODEL_POLICY, "advisory"]]);
        // A secret whose value is not known yet.
        d = (await analyze(model("s-unknown", { enableNetworkIsolation: secret(UNKNOWN_SENTINEL) }))).diagnostics;
        assert.strictEqual(d.length, 1);
        assert.match(d[0].message, /^Cannot check during preview:/);
    });

    it("Analyze: an aws-native state machine's substitutions are text, unquoted too; unknown values are a note", async () => {
        await pack().client.configure(defaults({ [TRAINING_POLICY]: { enforcementLevel: "mandatory" } }));
        const params = `{"EnableNetworkIsolation": \${Isolate}, "StoppingCondition": {"MaxRuntimeInSeconds": \${MaxSeconds}}}`;
        const subs = { Partition: "aws", Step: secret("S3CR3T-step-name"), MaxSeconds: 3600 };
        let d = (await analyze(nativeStateMachine("sm-off", params, { ...subs, Isolate: "false" }))).diagnostics;
        assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[TRAINING_POLICY, "mandatory"]]);
        assert.strictEqual(d[0].message, "sm-off: definitionString.States.${Step}.Parameters.EnableNetworkIsolation is not true, " +
            "so the training job runs with network access. Set it to true.");
        assert.deepStrictEqual((await analyze(nativeStateMachine("sm-on", params, { ...subs, Isolate: true }))).diagnostics, []);
        // Not known yet (one value, or the whole map): one advisory preview note, never "not valid JSON".
        for (const s of [{ ...subs, Isolate: UNKNOWN_SENTINEL, MaxSeconds: UNKNOWN_SENTINEL }, UNKNOWN_SENTINEL]) {
            d = (await analyze(nativeStateMachine("sm-later", params, s))).diagnostics;
            assert.deepStrictEqual(d.map(x => [x.policyName, x.level]), [[TRAINING_POLICY, "advisory"]], JSON.stringify(d));
            assert.match(d[0].message, /^Cannot check during preview: sm-later: definitionString\.States\.\$\{Step\}\.Parameters\.EnableNetworkIsolation is not known yet/);
        }
    });

    it("Analyze: script-mode framework containers with code from S3 warn under isolation, by family", async () => {
        await pack().client.configure(defaults());
        const hf = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04";
        const code = { sagemaker_submit_directory: JSON.stringify("https://my-bucket.s3.us-east-1.amazonaws.com/hf/sourcedir.tar.gz") };
        let r = await analyze(trainingJob("hf", hf, { enableNetworkIsolation: true, hyperParameters: code }));
        assert.deepStrictEqual(r.diagnostics.map(x => [x.policyName, x.level]), [[FRAMEWORK_POLICY, "advisory"]]);
        assert.match(r.diagnostics[0].message, /^hf: algorithmSpecification\.trainingImage is AWS's Hugging Face container \(huggingface-pytorch-training\) and enableNetworkIsolation is true, but hyperParameters\.sagemaker_submit_directory points at Amazon S3/);
        // The code as an input channel: the policy applies and passes.
        r = await analyze(trainingJob("hf-channel", hf, { enableNetworkIsolation: true, hyperParameters: { sagemaker_program: "\"train.py\"" } }));
        assert.deepStrictEqual([r.diagnostics, r.notApplicable.filter(x => x.policyName === FRAMEWORK_POLICY)], [[], []]);
        // Families are configurable; without the family the policy is not applicable.
        await pack().client.configure(defaults({ [FRAMEWORK_POLICY]: { enforcementLevel: "advisory", frameworks: ["xgboost"] } }));
        r = await analyze(trainingJob("hf", hf, { enableNetworkIsolation: true, hyperParameters: code }));
        assert.deepStrictEqual(r.diagnostics, []);
        assert.deepStrictEqual(r.notApplicable.filter(x => x.policyName === FRAMEWORK_POLICY),
            [{ policyName: FRAMEWORK_POLICY, reason: "Uses no AWS XGBoost container" }]);
        const xgb = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";
        r = await analyze(trainingJob("xgb", xgb, { enableNetworkIsolation: true, hyperParameters: { sagemaker_submit_directory: "\"s3://b/xgb.tar.gz\"" } }));
        assert.deepStrictEqual(r.diagnostics.map(x => x.policyName), [FRAMEWORK_POLICY]);
        assert.match(r.diagnostics[0].message, /AWS's XGBoost container \(sagemaker-xgboost\)/);
    });

    it("Analyze: a Marketplace-shaped ARN in a region the seller table does not cover gets a cannot-tell note", async () => {
        await pack().client.configure(defaults());
        const gov = "arn:aws-us-gov:sagemaker:us-gov-west-1:111122223333:model-package/gov-pkg/2";
        let d = (await analyze(model("gov", { primaryContainer: { modelPackageName: gov } }))).diagnostics.filter(x => x.policyName === MARKETPLACE_POLICY);
        assert.deepStrictEqual(d.map(x => x.level), ["advisory"]);
        assert.match(d[0].message, /^Cannot check: gov: primaryContainer\.modelPackageName is a model package of account 111122223333 in a region the pack's table of Marketplace seller accounts does not cover, so the pack cannot tell/);
        // Isolated, or from an own account: nothing to say.
        assert.deepStrictEqual((await analyze(model("gov-iso", { enableNetworkIsolation: true, primaryContainer: { modelPackageName: gov } }))).diagnostics, []);
        await pack().client.configure(defaults({ [MARKETPLACE_POLICY]: { enforcementLevel: "mandatory", ownAccountIds: ["111122223333"] } }));
        d = (await analyze(model("gov-own", { primaryContainer: { modelPackageName: gov } }))).diagnostics;
        assert.deepStrictEqual(d.map(x => x.policyName), [MODEL_POLICY]);
    });

    it("Remediate: nothing to do when no policy is at level remediate", async () => {
        await pack().client.configure(defaults());
        const r = await pack().client.remediate(model("plain", { enableNetworkIsolation: false }));
        assert.deepStrictEqual(r.filter(x => x.properties !== undefined && Object.keys(x.properties).length > 0), []);
    });

    // Uses the model isolation policy's `remediateResource`.
    it("Remediate: the model policy at level remediate turns isolation on", async () => {
        await pack().client.configure(defaults({ [MODEL_POLICY]: { enforcementLevel: "remediate" } }));
        const r = await pack().client.remediate(model("plain", { enableNetworkIsolation: false }));
        const mine = r.find(x => x.policyName === MODEL_POLICY);
        assert.ok(mine && mine.properties, JSON.stringify(r));
        assert.strictEqual(mine.properties["enableNetworkIsolation"], true);
        // The rest of the inputs are kept.
        assert.strictEqual(mine.properties["executionRoleArn"], "arn:aws:iam::123456789012:role/sm");
    });
});
