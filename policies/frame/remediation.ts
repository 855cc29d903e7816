/**
 * Remediation (enforcement level `remediate`). For the isolation policies: turns
 * EnableNetworkIsolation on where a typed resource (@pulumi/aws or aws-native) has it off or
 * unset. It leaves a resource alone when one of its containers is known not to run
 * isolated (the policy's violation message then says why), when an exemption of the policy
 * covers it, when the value is unknown during preview, and for JSON documents (pipelines,
 * state machines), which are not rewritten. For rules on resource types, remediateType.
 */
import { ResourceValidationArgs, Secret } from "@pulumi/policy";
import { extract, TYPED_TYPES } from "../workloads";
import { blockers } from "./blockers";
import { applyExemptions } from "./exemptions";
import type { WorkloadSubject } from "./frame";
import { isObj, Obj, unwrap } from "../values/values";

/** A copy of `v` with the SDK's Secret wrappers replaced by their values (for reading only). */
function reveal(v: unknown, depth = 0): unknown {
    if (v instanceof Secret) {
        return reveal(v.value, depth + 1);
    }
    if (depth > 64 || typeof v !== "object" || v === null) {
        return v;
    }
    if (Array.isArray(v)) {
        return v.map(x => reveal(x, depth + 1));
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
        out[k] = reveal(x, depth + 1);
    }
    return out;
}

/**
 * A copy of `root` with `value` at `path` (`a.b[2].c`), copying only the objects on the path;
 * undefined if the path runs through something that is not a plain object or array.
 */
export function setPath(root: Obj, path: string, value: unknown): Obj | undefined {
    const keys = path.split(/\.|\[(\d+)\]/).filter(k => k !== undefined && k !== "");
    const copy = (node: unknown, i: number): unknown => {
        if (i === keys.length) {
            return value;
        }
        if (node instanceof Secret) {
            // Keep a secret a secret: change what it wraps, and wrap the result again.
            const inner = copy(node.value, i);
            return inner === undefined ? undefined : new Secret(inner);
        }
        const k = keys[i];
        if (/^\d+$/.test(k)) {
            if (!Array.isArray(node)) {
                return undefined;
            }
            const child = copy(node[Number(k)], i + 1);
            return child === undefined ? undefined : (node as unknown[]).map((x, j) => j === Number(k) ? child : x);
        }
        if (node !== undefined && node !== null && !isObj(node)) {
            return undefined; // an unknown, a secret, or a wrong type: leave it to the user
        }
        const base: Obj = isObj(node) ? node : {};
        const child = copy(base[k], i + 1);
        return child === undefined ? undefined : { ...base, [k]: child };
    };
    const out = copy(root, 0);
    return isObj(out) ? out : undefined;
}

/** Whether an exemption of the policy covers the resource today (it is then not the policy's to change). */
function exempted(args: ResourceValidationArgs): boolean {
    const config = args.getConfig<Record<string, unknown>>();
    return !Array.isArray(applyExemptions(config, args.name, args.urn, [{ message: "" }]));
}

/**
 * The remediation of a rule on resource types: `fix` reads the resource's properties (secrets
 * revealed, for reading only) and returns the properties to change, or undefined to leave the
 * resource alone. Never for another type, nor for a resource an exemption of the policy covers.
 */
export function remediateType(args: ResourceValidationArgs, types: readonly string[], fix: (props: Obj) => Obj | undefined): Obj | undefined {
    const raw = types.includes(args.type) ? unwrap(args.props) : undefined;
    if (!isObj(raw)) {
        return undefined;
    }
    const change = fix(reveal(raw) as Obj);
    return change === undefined || exempted(args) ? undefined : { ...raw, ...change };
}

/** The isolation rules' remediation: the resource with isolation turned on for the subject's workloads, or undefined. */
export function remediateIsolation(args: ResourceValidationArgs, subject: WorkloadSubject): Obj | undefined {
    if (!TYPED_TYPES.has(args.type)) {
        return undefined;
    }
    const raw = unwrap(args.props);
    if (!isObj(raw)) {
        return undefined;
    }
    const mine = extract(args.type, reveal(raw)).workloads.filter(w => subject.workloads.includes(w.kind));
    const targets = mine.filter(w => w.isolation === "off" || w.isolation === "absent");
    if (targets.length === 0 || targets.some(w => blockers(w.containers).length > 0) || exempted(args)) {
        return undefined;
    }
    let out: Obj | undefined = raw;
    for (const w of targets) {
        out = out && setPath(out, w.isolationPath, true);
    }
    return out;
}
