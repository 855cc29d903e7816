/**
 * Following a property of one resource to the resources it names, whether the ids are known
 * (after an update) or not yet (preview: the engine's unknown value, then the property's
 * dependency record says which resources the value came from).
 */
import { PolicyResource } from "@pulumi/policy";
import { isObj, unreadableRaw, unwrap } from "../values/values";

/** The type of a reference to another stack's outputs: a value from it is of a network declared elsewhere. */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

export function props(r: PolicyResource): Record<string, unknown> {
    const p = unwrap(r.props);
    return isObj(p) ? p : {};
}

/** A real value: a non-empty string that is neither the engine's unknown value nor a secret that could not be decrypted. */
export function known(v: unknown): v is string {
    return typeof v === "string" && v !== "" && !unreadableRaw(v);
}

/**
 * A value that cannot be read (not known yet, or a secret `pulumi policy analyze` could not
 * decrypt): the dependency record still says where it came from.
 */
const unreadable = (v: unknown): boolean => unreadableRaw(v) !== undefined;

/** A resource's own id: `id` (@pulumi/aws), or the aws-native output that holds it. */
export function ownId(r: PolicyResource, nativeKey: string): string | undefined {
    const p = props(r);
    if (known(p["id"])) {
        return p["id"];
    }
    const native = r.type.startsWith("aws-native:") ? p[nativeKey] : undefined;
    return known(native) ? native : undefined;
}

/**
 * Whether the program left property `prop` of `r` unset, so that a value not known yet is the
 * provider's to compute (its default): the engine records a dependency list for every property
 * a program sets, empty or not, so a property missing from a record that has others was not set.
 * Without any record (older states), no telling.
 */
export function unset(r: PolicyResource, prop: string): boolean {
    const deps = r.propertyDependencies;
    return isObj(deps) && Object.keys(deps).length > 0 && !Object.prototype.hasOwnProperty.call(deps, prop);
}

/** The resources property `prop` of `r` depends on (empty when the engine recorded none). */
export function dependencies(r: PolicyResource, prop: string): PolicyResource[] {
    const deps = r.propertyDependencies?.[prop];
    return Array.isArray(deps) ? deps : [];
}

/**
 * What property `prop` of `r`, an id, points to: a resource of `byId` (by id, or during preview
 * the single dependency of `prop` that `accept` takes), the id of something outside the stack
 * (a string), or undefined when it is not known yet. `fallback`: when the engine recorded no
 * dependencies for `prop` at all (older states), any dependency of `r` may be taken.
 */
export function link<T>(r: PolicyResource, prop: string, byId: ReadonlyMap<string, T>,
    accept: (d: PolicyResource) => T | undefined, fallback = false): T | string | undefined {
    const v = props(r)[prop];
    if (known(v)) {
        return byId.get(v) ?? v;
    }
    if (!unreadable(v)) {
        return undefined;
    }
    const recorded = r.propertyDependencies?.[prop];
    const deps = Array.isArray(recorded) && recorded.length > 0 ? recorded : fallback ? r.dependencies ?? [] : [];
    const found = new Set<T>();
    for (const d of deps) {
        const t = accept(d);
        if (t !== undefined) {
            found.add(t);
        }
    }
    return found.size === 1 ? [...found][0] : undefined;
}

/** The members of a list of ids (or of a list not known yet), resolved as far as the stack allows. */
export interface Members<T> {
    /** Members whose id is known, or that the dependency record pins down. */
    known: T[];
    /** Ids of things the stack does not declare. */
    outside: string[];
    /**
     * Resources the unknown entries may be (the dependency record of the property): all of
     * them when `exact`, otherwise some of them (a record may name more than the value uses).
     */
    candidates: T[];
    exact: boolean;
    /** Unknown entries the dependency record says nothing about. */
    pending: boolean;
}

/**
 * Resolves `values` of list property `prop` of `r`: ids, and entries (or a whole list) that
 * `isUnknown` says are not known yet. Anything else (e.g. a run-time value) is left out.
 */
export function members<T>(r: PolicyResource, prop: string, values: unknown, byId: ReadonlyMap<string, T>,
    accept: (d: PolicyResource) => T | undefined, isUnknown: (v: unknown) => boolean = unreadable): Members<T> {
    const out: Members<T> = { known: [], outside: [], candidates: [], exact: true, pending: false };
    let unknown = 0;
    if (Array.isArray(values)) {
        for (const v of values) {
            if (known(v)) {
                const t = byId.get(v);
                if (t === undefined) {
                    out.outside.push(v);
                } else {
                    out.known.push(t);
                }
            } else if (isUnknown(v)) {
                unknown++;
            }
        }
    } else if (isUnknown(values)) {
        unknown = Infinity;
    }
    if (unknown > 0) {
        const seen = new Set<T>(out.known);
        for (const d of dependencies(r, prop)) {
            const t = accept(d);
            if (t !== undefined && !seen.has(t)) {
                seen.add(t);
                out.candidates.push(t);
            }
        }
        out.pending = out.candidates.length === 0;
        out.exact = out.candidates.length === unknown;
        if (out.exact) {
            out.known = out.known.concat(out.candidates); // (a spread of many candidates would throw)
            out.candidates = [];
        }
    }
    return out;
}
