/**
 * The same verdicts when composed: this package's pack on its own (the installed tarball's
 * folder, started as the engine starts a pack) and an organization's pack that spreads
 * `selectPolicies({})` beside a policy of its own (./org-pack.ts), both driven over the engine
 * protocol on the same declarations and settings: every fixture case of every policy
 * (resources and stacks, the stack policy, the policy disabled by default turned on), under the
 * settings of each case, again with every finding exempted and a setting the policy does not
 * have, and under the defaults. Each response of
 * the organization's pack, without its own policy's diagnostics, is the response of the pack on
 * its own; so is what GetAnalyzerInfo says of each policy.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AnalyzeResult, AnalyzerResource, Level, PackProcess, PolicyDescription, ResolvedConfig, startPack } from "../../cli/engine/client";
import { RULES } from "../../policies/catalogue/index";
import { Case, decode, loadCases } from "../policies/fixtures";
import { npmAvailable, orgPack, OWN_POLICY, OWN_TYPE, ROOT } from "./org-pack";

const urnOf = (type: string, name: string) => `urn:pulumi:dev::ml::${type}::${name}`;

/** A case's request: one resource (Analyze) or a stack (AnalyzeStack). */
type Request = { resource: AnalyzerResource } | { stack: AnalyzerResource[] };

function requestOf(c: Case): Request {
    if (c.resources) {
        const byName = new Map(c.resources.map(r => [r.name, urnOf(r.type, r.name)]));
        const urn = (n: string) => byName.get(n) ?? n;
        return {
            stack: c.resources.map(r => ({
                type: r.type, name: r.name, urn: urn(r.name), props: decode(r.props, []) as Record<string, unknown>,
                dependencies: (r.dependencies ?? []).map(urn),
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(urn)])),
            })),
        };
    }
    const name = c.resourceName ?? "subject";
    return { resource: { type: c.type!, name, urn: urnOf(c.type!, name), props: decode(c.props, []) as Record<string, unknown> } };
}

interface Subject {
    name: string;
    request: Request;
    /** The case's settings: policy name → settings (without level). */
    settings: Record<string, Record<string, unknown>>;
}

/**
 * Every fixture case under its own settings; and each case without settings of its own again,
 * its policy exempting everything and given a setting it does not have (the stack policy
 * reports it).
 */
const ACCEPT_ALL = { exemptions: [{ resource: "*", reason: "Accepted while composing (ACME-1)" }], notASetting: true };
const SUBJECTS: Subject[] = RULES.flatMap(r =>
    loadCases(path.join(ROOT, "tests", "policies", "fixtures", `${r.name}.json`)).flatMap(c => [{
        name: `${r.name}: ${c.name}`,
        request: requestOf(c),
        settings: c.config ? { [r.name]: c.config } : {},
    }, ...c.config ? [] : [{ name: `${r.name}: ${c.name} (all exempted)`, request: requestOf(c), settings: { [r.name]: ACCEPT_ALL } }]]));

/** Every policy at its level (`on`: a policy disabled by default at advisory), with the settings given. */
function configOf(settings: Subject["settings"], on: boolean): ResolvedConfig {
    const config: ResolvedConfig = {};
    for (const r of RULES) {
        const level: Level = on && r.enforcementLevel === "disabled" ? "advisory" : r.enforcementLevel;
        config[r.name] = { enforcementLevel: level, ...settings[r.name] };
    }
    return config;
}

async function ask(pack: PackProcess, request: Request): Promise<AnalyzeResult> {
    return "resource" in request ? pack.client.analyze(request.resource) : pack.client.analyzeStack(request.stack);
}

/** A response without the organization's own policy. */
function ours(result: AnalyzeResult): AnalyzeResult {
    return {
        diagnostics: result.diagnostics.filter(d => d.policyName !== OWN_POLICY),
        notApplicable: result.notApplicable.filter(n => n.policyName !== OWN_POLICY),
    };
}

describe("composed in an organization's pack: the same verdicts (npm pack, npm install)", function () {
    this.timeout(300000);
    let alone: PackProcess | undefined;
    let composed: PackProcess | undefined;

    before(async function () {
        if (!npmAvailable()) {
            console.warn("    skipped: npm is not available on this machine, so the package cannot be packed and installed");
            this.skip();
        }
        const org = await orgPack();
        assert.ok(fs.existsSync(path.join(org.installed, "bin", "index.js")), "the package is installed");
        [alone, composed] = await Promise.all([startPack(org.installed, { timeoutMs: 90000 }), startPack(org.dir, { timeoutMs: 90000 })]);
    });

    after(async () => {
        await Promise.all([alone?.stop(), composed?.stop()]);
    });

    it("GetAnalyzerInfo: each policy as the pack on its own describes it (levels, schemas, links, frameworks), beside the organization's own", async () => {
        const [a, c] = await Promise.all([alone!.client.getAnalyzerInfo(), composed!.client.getAnalyzerInfo()]);
        assert.deepStrictEqual(c.policies.map(p => p.name), [OWN_POLICY, ...RULES.map(r => r.name)]);
        const byName = (ps: PolicyDescription[]) => ps.filter(p => p.name !== OWN_POLICY);
        assert.deepStrictEqual(byName(c.policies), a.policies);
        assert.strictEqual(c.version, "3.1.4", "the organization's pack reports its own version");
        assert.strictEqual(a.version, JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    });

    for (const on of [true, false]) {
        it(`every fixture case judges the same, ${on ? "each case's settings, the policy disabled by default on" : "at the default levels"}`, async () => {
            assert.ok(SUBJECTS.length > 100, `${SUBJECTS.length} cases`);
            const all = on ? SUBJECTS : SUBJECTS.filter(s => !s.name.endsWith("(all exempted)"));
            const groups = new Map<string, Subject[]>();
            for (const s of all) {
                const key = JSON.stringify(on ? s.settings : {});
                groups.set(key, [...groups.get(key) ?? [], s]);
            }
            let judged = 0;
            let found = 0;
            let exempted = 0;
            for (const [key, subjects] of groups) {
                const config = configOf(JSON.parse(key) as Subject["settings"], on);
                await Promise.all([alone!.client.configure(config),
                    composed!.client.configure({ ...config, [OWN_POLICY]: { enforcementLevel: "advisory" } })]);
                for (const s of subjects) {
                    const [a, c] = await Promise.all([ask(alone!, s.request), ask(composed!, s.request)]);
                    assert.deepStrictEqual(ours(c), a, s.name);
                    judged += 1;
                    found += a.diagnostics.length;
                    exempted += a.notApplicable.filter(n => n.reason.includes("ACME-1")).length;
                }
            }
            assert.strictEqual(judged, all.length);
            assert.ok(found > 50, `${found} findings compared`);
            assert.ok(!on || exempted > 50, `${exempted} exemptions compared`);
        });
    }

    it("the organization's own policy judges beside them, with its own settings", async () => {
        const model: AnalyzerResource = { type: OWN_TYPE, name: "untagged", urn: urnOf(OWN_TYPE, "untagged"), props: {} };
        await composed!.client.configure({ ...configOf({}, false), [OWN_POLICY]: { enforcementLevel: "mandatory", tag: "cost-centre" } });
        const r = await composed!.client.analyze(model);
        assert.deepStrictEqual(r.diagnostics.filter(d => d.policyName === OWN_POLICY).map(d => [d.level, d.message]),
            [["mandatory", "SageMaker models carry a team tag.\nmodel untagged has no cost-centre tag"]]);
        assert.ok(r.diagnostics.some(d => d.policyName !== OWN_POLICY), "this package's policies judged the model too");
    });
});
