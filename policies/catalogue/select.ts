/**
 * Selecting policies for an organization's own pack, after the convention of Pulumi's policy
 * libraries (`selectPolicies(filter, enforcementLevel)`): each criterion is a list, a policy
 * matches a criterion if it matches any of its values (case-insensitive), and is selected if it
 * matches every criterion given. A level, when given, is every selected policy's level; without
 * one, each keeps its own (a policy disabled by default stays disabled).
 *
 * Two deliberate differences: an empty filter selects every policy (there it selects none), and
 * a value that names nothing of the catalogue (a misspelt policy, framework or control, a criterion
 * the library does not have, an unknown level) is an error when the pack loads, with the nearest
 * known value: a selection that silently selects less would leave resources unjudged. Selecting
 * keeps no state: two selections that overlap give the same policy twice, which Pulumi rejects.
 */
import { EnforcementLevel, Policies, Severity } from "@pulumi/policy";
import { didYouMean } from "../values/suggest";
import { Rule } from "../frame/frame";
import { policies, RULES } from "./index";

/** Which policies to select; criteria not given (or empty) select every policy. */
export interface PolicyFilter {
    /** Policy names, e.g. `"sagemaker-model-network-isolation"`. */
    names?: readonly string[];
    /** Severities: `low`, `medium`, `high`, `critical`. */
    severities?: readonly (Severity | Uppercase<Severity> | Capitalize<Severity>)[];
    /** Compliance frameworks the policies cite, e.g. `"AWS Foundational Security Best Practices"`, `"AWS Config managed rules"`. */
    frameworks?: readonly string[];
    /** Controls of those frameworks the policies implement, e.g. `"SageMaker.5"`, `"SAGEMAKER_DOMAIN_IN_VPC"`. */
    controls?: readonly string[];
}

const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A rule's controls: the framework reference lists them, separated by commas. */
export function controlsOf(r: Rule): string[] {
    return (r.framework?.reference ?? "").split(",").map(c => c.trim()).filter(c => c !== "");
}

/** What each criterion reads from a rule. */
const CRITERIA: Record<keyof PolicyFilter, (r: Rule) => string[]> = {
    names: r => [r.name],
    severities: r => [r.severity],
    frameworks: r => r.framework ? [r.framework.name] : [],
    controls: controlsOf,
};

/** The values of a criterion the catalogue knows (severities: all four, whether or not a policy has one). */
function known(criterion: keyof PolicyFilter): string[] {
    return criterion === "severities" ? [...SEVERITIES] : [...new Set(RULES.flatMap(CRITERIA[criterion]))];
}

function fail(message: string): never {
    throw new Error(`selectPolicies: ${message}`);
}

/** The filter's criteria, each as lower-case values; throws on anything that selects nothing by mistake. */
function criteriaOf(filter: PolicyFilter): [keyof PolicyFilter, Set<string>][] {
    if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
        fail("the filter is an object: { names?, severities?, frameworks?, controls? }");
    }
    const out: [keyof PolicyFilter, Set<string>][] = [];
    for (const [key, values] of Object.entries(filter) as [string, unknown][]) {
        if (!(key in CRITERIA)) {
            fail(`unknown criterion "${key}"${didYouMean(key, Object.keys(CRITERIA))}; the criteria are ${Object.keys(CRITERIA).join(", ")}`);
        }
        const criterion = key as keyof PolicyFilter;
        if (values === undefined) {
            continue;
        }
        if (!Array.isArray(values) || values.some(v => typeof v !== "string")) {
            fail(`${criterion} is a list of strings`);
        }
        const knownValues = known(criterion);
        const lower = new Set(knownValues.map(v => v.toLowerCase()));
        for (const v of values as string[]) {
            if (!lower.has(v.toLowerCase())) {
                fail(`${criterion}: ${JSON.stringify(v)} is none of this library's${didYouMean(v, knownValues)}; it has ${knownValues.map(k => JSON.stringify(k)).join(", ")}`);
            }
        }
        if (values.length > 0) {
            out.push([criterion, new Set((values as string[]).map(v => v.toLowerCase()))]);
        }
    }
    return out;
}

/**
 * The policies of the catalogue that `filter` selects, in the catalogue's order, each at
 * `enforcementLevel` when given (else at its own level). The policies judge exactly as in this
 * package's own pack: settings go by policy name, with the same schema.
 */
export function selectPolicies(filter: PolicyFilter = {}, enforcementLevel?: EnforcementLevel): Policies {
    if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel)) {
        fail(`unknown enforcement level ${JSON.stringify(enforcementLevel)}${didYouMean(String(enforcementLevel), LEVELS)}; the levels are ${LEVELS.join(", ")}`);
    }
    const criteria = criteriaOf(filter);
    return RULES.flatMap((r, i) => {
        const selected = criteria.every(([criterion, values]) => CRITERIA[criterion](r).some(v => values.has(v.toLowerCase())));
        return !selected ? [] : [enforcementLevel === undefined ? policies[i] : { ...policies[i], enforcementLevel }];
    });
}
