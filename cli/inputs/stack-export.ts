/** `pulumi stack export` files: the resources of `deployment.resources`. */
import { isObj } from "../../policies/values/values";
import { DocumentKind, ResourceStates } from "./pulumi-state";
import { UsageError } from "./types";

export const stackExport: DocumentKind = {
    form: "document",
    name: "export",
    title: "stack export",
    help: "`pulumi stack export` output (--show-secrets to check values that are secrets)",
    elements: "deployment.resources",
    detect(member, file) {
        if (member("deployment") !== "object") {
            return false;
        }
        const resources = member("deployment.resources");
        if (resources !== undefined && resources !== "array" && resources !== "null") {
            throw new UsageError(`${file}: deployment.resources is not a list`);
        }
        return true;
    },
    read(file) {
        const states = new ResourceStates(file, "export");
        const duplicates = new Set<string>();
        return {
            element(r, i) {
                if (!isObj(r)) {
                    throw new UsageError(`${file}: deployment.resources[${i}] is not an object`);
                }
                if (r["delete"] === true) {
                    return; // pending deletion: not part of the stack's desired state
                }
                if (typeof r["urn"] === "string" && states.repeated(r["urn"])) {
                    duplicates.add(r["urn"]);
                    return;
                }
                states.add(`deployment.resources[${i}]`, r, false, false);
            },
            stacks() {
                const stacks = states.stacks();
                return duplicates.size === 0 ? stacks : stacks.map(s => ({ ...s, duplicateUrns: [...duplicates] }));
            },
        };
    },
};
