/**
 * The catalogue: the pack's policies, one rule file each under ../rules, named after its policy
 * (`rules/sagemaker-model-network-isolation.ts` exports the rule `sagemaker-model-network-isolation`).
 * Everything else derives names, subjects, levels and counts from here: the pack (../index.ts),
 * the check command's records and evidence, the tests. Adding a policy is adding its rule file
 * (with its fixture, test and README section): the catalogue finds it.
 */
import * as fs from "fs";
import * as path from "path";
import { Policies } from "@pulumi/policy";
import { isolationRuleIn, policyOf, Rule, TypeRule, WorkloadRule } from "../frame/frame";
import { packageInfo } from "../values/package-info";
import { ALL_KINDS, Kind } from "../workloads";

export const PACK_NAME = "sagemaker-network-isolation";

/** The pack's version, from its package.json (what the PolicyPack reports and CHANGELOG.md names). */
export const PACK_VERSION: string = packageInfo().version;

const RULES_DIR = path.join(__dirname, "..", "rules");

/** The rules under ../rules: `.ts` files under ts-node, the compiled `.js` files in bin/. */
function load(): Rule[] {
    const ext = path.extname(__filename);
    const rules: Rule[] = [];
    for (const file of fs.readdirSync(RULES_DIR).sort()) {
        if (!file.endsWith(ext) || file.endsWith(".d.ts")) {
            continue;
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the catalogue finds its rules by their files
        const r = (require(path.join(RULES_DIR, file)) as { default?: Rule }).default;
        const name = file.slice(0, -ext.length);
        if (r?.name !== name) {
            throw new Error(`policies/rules/${file} must export default rule({ name: "${name}", ... })`);
        }
        rules.push(r);
    }
    return rules;
}

const SEVERITIES = ["critical", "high", "medium", "low"];

/**
 * The order Pulumi shows the policies in: the isolation rules by the kind they judge (models,
 * training, processing), then the other resource rules, most severe first, then stack rules.
 */
function order(a: Rule, b: Rule): number {
    const group = (r: Rule) => "stack" in r.subject ? 2 : "workloads" in r.subject && r.subject.isolation ? 0 : 1;
    const kind = (r: Rule) => "workloads" in r.subject ? ALL_KINDS.indexOf(r.subject.workloads[0]) : 0;
    return group(a) - group(b) || (group(a) === 0 ? kind(a) - kind(b) : 0)
        || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.name < b.name ? -1 : 1);
}

/** Every rule of the pack, in the order Pulumi shows them. */
export const RULES: readonly Rule[] = load().sort(order);

/** The pack's policies, as the SDK runs them. */
export const policies: Policies = RULES.map(r => policyOf(r, RULES));

/** The rule that judges the network isolation of workloads of `kind` (the check command counts records by it). */
export function isolationRule(kind: Kind): WorkloadRule | undefined {
    return isolationRuleIn(RULES, kind);
}

/**
 * The rule the check command judges AWS records of workloads of `kind` by: its isolation rule, or
 * the one workload rule whose subject names `kind` in its `records` (Studio spaces, HyperPod clusters).
 */
export function recordsRule(kind: Kind): WorkloadRule | undefined {
    return isolationRule(kind) ?? RULES.find((r): r is WorkloadRule => "workloads" in r.subject && (r.subject.records ?? []).includes(kind));
}

/**
 * The rule the check command judges AWS records of resource type `type` by: the one whose subject
 * names the type and says `records` (another policy over the same type never takes its place).
 */
export function typeRule(type: string): TypeRule | undefined {
    return RULES.find((r): r is TypeRule => "types" in r.subject && r.subject.types.includes(type) && r.subject.records === true);
}

const POLICY_OF = new Map(RULES.map((r, i) => [r, policies[i]]));

/** The SDK policy the pack runs for `r`. */
export function policyFor(r: Rule): Policies[number] {
    return POLICY_OF.get(r) ?? policyOf(r, RULES);
}
