/** `pulumi preview --json` output: the new states of its `steps`. */
import { isObj } from "../../policies/values/values";
import { DocumentKind, ResourceStates } from "./pulumi-state";
import { UsageError } from "./types";

/** Steps whose resource is not part of the stack after the update. */
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

export const preview: DocumentKind = {
    form: "document",
    name: "preview",
    title: "preview",
    help: "`pulumi preview --json --show-sames` output",
    elements: "steps",
    detect: member => member("steps") === "array",
    read(file) {
        const states = new ResourceStates(file, "preview");
        const ops = new Set<unknown>();
        return {
            element(s, i) {
                if (!isObj(s)) {
                    throw new UsageError(`${file}: steps[${i}] is not an object`);
                }
                ops.add(s["op"]);
                if (typeof s["op"] === "string" && GONE.has(s["op"])) {
                    return;
                }
                const state = s["newState"];
                if (!isObj(state)) {
                    return;
                }
                if (typeof state["urn"] !== "string" && typeof s["urn"] === "string") {
                    state["urn"] = s["urn"];
                }
                if (state["sourcePosition"] === undefined && isObj(s["oldState"])) {
                    state["sourcePosition"] = s["oldState"]["sourcePosition"]; // an update's new state may leave it out
                }
                if (typeof state["urn"] === "string" && states.repeated(state["urn"])) {
                    return; // a replacement's create and delete steps name the same resource
                }
                states.add(`steps[${i}].newState`, state, s["op"] === "read" || s["op"] === "read-replacement", true);
            },
            stacks() {
                // Without --show-sames a preview leaves out what it does not change. A first preview of a new
                // stack changes everything (only creates and reads), so it is whole even without `same` steps.
                const partial = !ops.has("same") && [...ops].some(op => op !== "create" && op !== "read");
                return states.stacks().map(s => ({ ...s, partial }));
            },
        };
    },
};
