/**
 * The stack's resources by type, read in one pass: every part of the VPC endpoints policy (the
 * graph, the inference components, the dual-stack domains, the records marker) looks its types up
 * here instead of reading the whole stack again, and the resources it judges come in stack order.
 */
import { PolicyResource } from "@pulumi/policy";

export class StackIndex {
    private readonly buckets = new Map<string, PolicyResource[]>();
    /** The resources of the types `judged` names, in stack order. */
    readonly judged: PolicyResource[] = [];
    private readonly judgedTypes = new Set<string>();

    constructor(resources: readonly PolicyResource[], judged: (type: string) => boolean) {
        const buckets = this.buckets;
        for (let i = 0; i < resources.length; i++) { // (indexed: no iterator results while the code is still cold)
            const r = resources[i];
            const list = buckets.get(r.type);
            if (list) {
                list.push(r);
            } else {
                buckets.set(r.type, [r]);
                if (judged(r.type)) {
                    this.judgedTypes.add(r.type);
                }
            }
            if (this.judgedTypes.size > 0 && this.judgedTypes.has(r.type)) {
                this.judged.push(r);
            }
        }
    }

    /** The resources of `types`, type by type (each type once). */
    of(types: Iterable<string>): PolicyResource[] {
        let out: PolicyResource[] = [];
        for (const t of new Set(types)) {
            const list = this.buckets.get(t);
            if (list) {
                out = out.length === 0 ? list.slice() : out.concat(list); // (a spread of a long list would throw)
            }
        }
        return out;
    }

    /** The resources of one type. */
    ofType(type: string): readonly PolicyResource[] {
        return this.buckets.get(type) ?? [];
    }
}
