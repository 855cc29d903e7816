/**
 * Inference components whose endpoint configuration the stack does not declare. An aws-native
 * `InferenceComponent` has no isolation of its own: it runs with the `enableNetworkIsolation` of
 * the endpoint configuration of its endpoint, which the model isolation policy judges where the
 * stack declares it. A resource policy sees one resource, so the chain is followed here, across
 * the stack: the component's `endpointName` (or `endpointArn`) to an endpoint (@pulumi/aws
 * `Endpoint`, aws-native `Endpoint`), the endpoint's `endpointConfigName` to an endpoint
 * configuration (@pulumi/aws `EndpointConfiguration`, aws-native `EndpointConfig`), by name, ARN
 * or id, or during preview through the property's dependency record (./links). A chain that
 * leaves the stack is noted; one not known yet is a preview note; nothing is a violation.
 * Messages name resources and property paths, never a name's value.
 */
import { PolicyResource } from "@pulumi/policy";
import { Unreadable, unreadableRaw } from "../values/values";
import { noteMessage, unreadableNote } from "../values/wire";
import { known, members, props, STACK_REFERENCE } from "./links";
import { StackIndex } from "./stack";

const COMPONENT = "aws-native:sagemaker:InferenceComponent";
const ENDPOINTS = new Set(["aws:sagemaker/endpoint:Endpoint", "aws-native:sagemaker:Endpoint"]);
const CONFIGS = new Set(["aws:sagemaker/endpointConfiguration:EndpointConfiguration", "aws-native:sagemaker:EndpointConfig"]);
/**
 * What a property names a resource by: its name (`endpointName`, `endpointConfigName`) or its
 * ARN (`endpointArn`), under each provider's key; the id too (a name in @pulumi/aws).
 */
const BY_NAME: Record<string, readonly string[]> = {
    endpointName: ["name", "endpointName"],
    endpointArn: ["arn", "endpointArn"],
    endpointConfigName: ["name", "endpointConfigName"],
};

/**
 * Resources of some types by what property `prop` names them by; `unnamed`: one of them has such
 * a name not known yet (a name no resource has may then be its).
 */
interface Index {
    /** How a message names one. */
    noun: string;
    types: ReadonlySet<string>;
    byName: Map<string, PolicyResource>;
    unnamed: boolean;
}

function index(stack: StackIndex, noun: string, types: ReadonlySet<string>, prop: string): Index {
    const out: Index = { noun, types, byName: new Map(), unnamed: false };
    for (const r of stack.of(types)) {
        const p = props(r);
        for (const k of ["id", ...BY_NAME[prop]]) {
            const v = p[k];
            if (known(v)) {
                out.byName.set(v, r);
            } else if (k !== "id" && unreadableRaw(v) !== undefined) {
                out.unnamed = true;
            }
        }
    }
    return out;
}

/**
 * Where property `prop` of `r` leads: resources the stack declares, something it does not
 * (`outside`), something not known yet (`pending`, and why), or nowhere (the property is not set).
 */
type Hop = { declared: PolicyResource[] } | { outside: true } | { pending: Unreadable; unmatched?: string } | undefined;

function follow(r: PolicyResource, prop: string, idx: Index): Hop {
    const v = props(r)[prop];
    const m = members(r, prop, [v], idx.byName, d => idx.types.has(d.type) || d.type === STACK_REFERENCE ? d : undefined);
    const found = [...m.known, ...m.candidates];
    const declared = found.filter(d => idx.types.has(d.type));
    if (declared.length > 0) {
        return { declared };
    }
    if (m.outside.length > 0) {
        // A name no declared resource has, while one's name is not known yet: it may be that one.
        return idx.unnamed ? { pending: "preview", unmatched: idx.noun } : { outside: true };
    }
    if (found.length > 0) {
        return { outside: true }; // from a stack reference: another stack's
    }
    const why = unreadableRaw(v);
    return why ? { pending: why } : undefined;
}

/** The component's endpoint: by `endpointName`, else by `endpointArn` when that leads to one the stack declares. */
function endpointOf(c: PolicyResource, endpoints: { byName: Index; byArn: Index }): { hop: Hop; path: string } {
    const byName = follow(c, "endpointName", endpoints.byName);
    if (byName !== undefined && "declared" in byName) {
        return { hop: byName, path: "endpointName" };
    }
    const byArn = follow(c, "endpointArn", endpoints.byArn);
    return byArn !== undefined && ("declared" in byArn || byName === undefined)
        ? { hop: byArn, path: "endpointArn" }
        : { hop: byName, path: "endpointName" };
}

/** How a note names what the stack's policies are and how a component is exempted. */
export interface ComponentWording {
    /** The policy that judges an endpoint configuration's isolation. */
    isolationPolicy: string;
    /** The configuration entry that exempts resource `name` from the stack policy. */
    exemption: (name: string) => string;
}

/** A note on a component of the stack: the resource it is about and what to say. */
export interface ComponentNote {
    urn: string;
    message: string;
    note: true;
}

function unjudged(c: PolicyResource, where: string, w: ComponentWording): ComponentNote {
    return {
        urn: c.urn, note: true, message: noteMessage(false, `${c.name}: ${where} this stack does not declare, so the inference component's ` +
            `network isolation, set on that endpoint configuration (enableNetworkIsolation), was not judged by ${w.isolationPolicy}. ` +
            "Declare the endpoint configuration in this stack (aws-native EndpointConfig with enableNetworkIsolation: true), check the " +
            "deployed one with the check command (its describe-endpoint-config output), or accept it with " +
            `${w.exemption(c.name)}.`),
    };
}

function notYet(c: PolicyResource, hop: { pending: Unreadable; unmatched?: string }, path: string, w: ComponentWording): ComponentNote {
    const consequence = ", so which endpoint configuration the inference component runs on (its network isolation, " +
        `enableNetworkIsolation, which ${w.isolationPolicy} judges there) cannot be checked.`;
    return {
        urn: c.urn, note: true, message: hop.unmatched
            ? noteMessage(true, `${c.name}: ${path} names no ${hop.unmatched} of this stack whose name is known yet, while one's name is not known yet${consequence}`)
            : unreadableNote(hop.pending, `${c.name}: ${path}`, consequence),
    };
}

/**
 * One note for each inference component of the stack whose endpoint configuration the stack
 * does not declare, or which is not known yet; none when the chain reaches a declared endpoint
 * configuration (judged there). Linear in the stack's size.
 */
export function componentNotes(stack: StackIndex, w: ComponentWording): ComponentNote[] {
    const components = stack.ofType(COMPONENT);
    if (components.length === 0) {
        return [];
    }
    const endpoints = { byName: index(stack, "endpoint", ENDPOINTS, "endpointName"), byArn: index(stack, "endpoint", ENDPOINTS, "endpointArn") };
    const configs = index(stack, "endpoint configuration", CONFIGS, "endpointConfigName");
    const configHops = new Map<PolicyResource, Hop>();
    const configOf = (e: PolicyResource): Hop => {
        if (!configHops.has(e)) {
            configHops.set(e, follow(e, "endpointConfigName", configs));
        }
        return configHops.get(e);
    };
    const out: ComponentNote[] = [];
    for (const c of components) {
        const { hop, path } = endpointOf(c, endpoints);
        if (hop === undefined) {
            continue; // no endpoint named: AWS rejects the component, nothing runs
        }
        if ("outside" in hop) {
            out.push(unjudged(c, `${path} names an endpoint, and so an endpoint configuration,`, w));
        } else if ("pending" in hop) {
            out.push(notYet(c, hop, path, w));
        } else {
            for (const e of hop.declared) {
                const h = configOf(e);
                if (h !== undefined && "outside" in h) {
                    out.push(unjudged(c, `${path} names endpoint ${e.name}, whose endpointConfigName names an endpoint configuration`, w));
                    break;
                }
                if (h !== undefined && "pending" in h) {
                    out.push(notYet(c, h, `${path} names endpoint ${e.name}, whose endpointConfigName`, w));
                    break;
                }
            }
        }
    }
    return out;
}
