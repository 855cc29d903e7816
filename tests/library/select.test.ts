/**
 * The library entry (policies/index.ts) from the sources: `policies` as the pack runs them,
 * `selectPolicies` after the compliance-policies convention (or within a criterion, and between
 * criteria, case-insensitive; a level for every selected policy), its errors, the pack's version
 * and each policy's link.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policies } from "@pulumi/policy";
import { PACK_VERSION, policies, selectPolicies } from "../../policies";
import * as catalogue from "../../policies/catalogue/index";
import { policyUrl, POLICY_DOCS } from "../../policies/values/package-info";

const ROOT = path.resolve(__dirname, "..", "..");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; homepage?: string };
const RULES = catalogue.RULES;
const names = (ps: Policies) => ps.map(p => p.name);

/** The rules whose framework reference lists `control` (read here by hand: "A, B"). */
const citing = (control: string) => RULES.filter(r => (r.framework?.reference ?? "").split(", ").includes(control)).map(r => r.name);

describe("library: policies and selectPolicies", () => {
    it("policies: every policy of the catalogue, in its order, the very objects the pack runs", () => {
        assert.strictEqual(policies, catalogue.policies);
        assert.deepStrictEqual(names(policies), RULES.map(r => r.name));
    });

    it("an empty filter selects every policy, each at its own level (disabled by default stays disabled)", () => {
        for (const filter of [undefined, {}, { names: [], controls: [] }]) {
            const s = selectPolicies(filter);
            assert.deepStrictEqual(names(s), names(policies));
            s.forEach((p, i) => assert.strictEqual(p, policies[i]));
        }
        assert.ok(RULES.some(r => r.enforcementLevel === "disabled"), "the catalogue has a policy disabled by default");
    });

    it("names, severities, frameworks and controls: any value of a criterion, every criterion; case-insensitive", () => {
        const [a, b] = RULES;
        assert.deepStrictEqual(names(selectPolicies({ names: [b.name, a.name.toUpperCase()] })), [a.name, b.name]);
        const high = RULES.filter(r => r.severity === "high" || r.severity === "critical").map(r => r.name);
        assert.ok(high.length > 0 && high.length < RULES.length);
        assert.deepStrictEqual(names(selectPolicies({ severities: ["HIGH", "critical"] })), high);
        const fsbp = RULES.filter(r => r.framework?.name === "AWS Foundational Security Best Practices").map(r => r.name);
        assert.ok(fsbp.length >= 2, fsbp.join());
        assert.deepStrictEqual(names(selectPolicies({ frameworks: ["aws foundational security best practices"] })), fsbp);
        assert.strictEqual(citing("SageMaker.5").length, 1);
        assert.deepStrictEqual(names(selectPolicies({ controls: ["SageMaker.5"] })), citing("SageMaker.5"));
        assert.deepStrictEqual(names(selectPolicies({ controls: ["sagemaker.2"] })), citing("SageMaker.2"), "a control listed second");
        assert.deepStrictEqual(names(selectPolicies({ controls: ["SageMaker.5", "SageMaker.1"] })),
            RULES.map(r => r.name).filter(n => [...citing("SageMaker.5"), ...citing("SageMaker.1")].includes(n)));
        const both = selectPolicies({ frameworks: ["AWS Foundational Security Best Practices"], severities: [RULES.find(r => r.name === fsbp[0])!.severity] });
        assert.ok(names(both).includes(fsbp[0]));
        assert.deepStrictEqual(selectPolicies({ frameworks: ["AWS Foundational Security Best Practices"], names: [RULES.find(r => !fsbp.includes(r.name))!.name] }), []);
    });

    it("a level applies to every selected policy, those disabled by default included; the pack's policies are untouched", () => {
        const before = policies.map(p => p.enforcementLevel);
        const s = selectPolicies({}, "mandatory");
        assert.deepStrictEqual(s.map(p => p.enforcementLevel), policies.map(() => "mandatory"));
        s.forEach((p, i) => {
            const { enforcementLevel: _a, ...rest } = p;
            const { enforcementLevel: _b, ...original } = policies[i];
            assert.deepStrictEqual(rest, original, "everything but the level is the policy's (same checks, schema, link)");
        });
        assert.deepStrictEqual(policies.map(p => p.enforcementLevel), before);
        assert.deepStrictEqual(selectPolicies({ names: [RULES[0].name] }, "disabled").map(p => p.enforcementLevel), ["disabled"]);
    });

    it("a selection that names nothing of the library is an error when the pack loads, with the nearest value", () => {
        const name = RULES[0].name;
        assert.throws(() => selectPolicies({ names: [name.slice(0, -1)] }), new RegExp(`names: "${name.slice(0, -1)}" is none of this library's \\(did you mean "${name}"\\?\\)`));
        assert.throws(() => selectPolicies({ controls: ["SageMaker.99"] }), /controls: "SageMaker\.99" is none/);
        assert.throws(() => selectPolicies({ frameworks: ["PCI DSS"] }), /frameworks: "PCI DSS" is none/);
        assert.throws(() => selectPolicies({ severities: ["severe" as "low"] }), /severities: "severe" is none/);
        assert.throws(() => selectPolicies({ vendors: ["aws"] } as object), /unknown criterion "vendors"; the criteria are names, severities, frameworks, controls/);
        assert.throws(() => selectPolicies({ names: name as unknown as string[] }), /names is a list of strings/);
        assert.throws(() => selectPolicies({}, "mandatroy" as "mandatory"), /unknown enforcement level "mandatroy" \(did you mean "mandatory"\?\)/);
    });
});

describe("library: version and links", () => {
    it("PACK_VERSION is package.json's, and CHANGELOG.md says for it what is new, finds more and becomes blocking", () => {
        assert.strictEqual(PACK_VERSION, PKG.version);
        const log = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
        const at = log.indexOf(`\n## ${PKG.version}\n`);
        assert.ok(at >= 0, `CHANGELOG.md has a section ## ${PKG.version}`);
        const section = log.slice(at + 1).split(/\n## /)[0];
        for (const h of ["### What is new", "### What now finds more", "### What becomes blocking"]) {
            assert.ok(section.includes(`\n${h}\n`), `${h} in ${PKG.version}`);
        }
    });

    it("each policy's url: relative without a homepage, absolute from it with one", () => {
        for (const p of policies) {
            assert.strictEqual(p.url, policyUrl(p.name, PKG.homepage));
        }
        const n = RULES[0].name;
        assert.strictEqual(policyUrl(n, undefined), `${POLICY_DOCS}#${n}`);
        for (const home of ["https://github.com/acme/sagemaker-network-isolation", "https://github.com/acme/sagemaker-network-isolation#readme",
            "https://github.com/acme/sagemaker-network-isolation/", "https://github.com/acme/sagemaker-network-isolation.git"]) {
            assert.strictEqual(policyUrl(n, home), `https://github.com/acme/sagemaker-network-isolation/blob/HEAD/${POLICY_DOCS}#${n}`, home);
        }
        assert.strictEqual(policyUrl(n, "https://policies.acme.example/sagemaker"), `https://policies.acme.example/sagemaker#${n}`);
        assert.strictEqual(policyUrl(n, "https://policies.acme.example/sagemaker#top"), `https://policies.acme.example/sagemaker#${n}`);
        assert.strictEqual(policyUrl(n, "https://github.com/acme/repo/tree/main/docs"), `https://github.com/acme/repo/tree/main/docs#${n}`);
        for (const bad of ["not a url", "ftp://acme.example/x", ""]) {
            assert.strictEqual(policyUrl(n, bad), `${POLICY_DOCS}#${n}`, bad);
        }
    });
});
