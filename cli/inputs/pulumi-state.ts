/**
 * Resource states as Pulumi writes them (an export's resources, a preview step's newState),
 * read one at a time into resources and grouped into stacks by their URNs: what the
 * `pulumi stack export` and `pulumi preview --json` kinds share.
 */
import { isObj, Obj } from "../../policies/values/values";
import { engineValue, LeftOut, parseUrn, STACK_TYPE, stackResource, ValueError } from "./engine-value";
import { sourcePosition } from "./source-position";
import { InputKindBase, StackInput, StackResource, UsageError } from "./types";

function skipped(type: string): boolean {
    return type === STACK_TYPE || type.startsWith("pulumi:providers:");
}

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function propertyDependencies(v: unknown): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (isObj(v)) {
        for (const [k, urns] of Object.entries(v)) {
            out[k] = strings(urns);
        }
    }
    return out;
}

/**
 * One resource state, `where` in the file; undefined for the stack resource and providers.
 * `read`: read with `.get()`. `previewed`: a preview step's newState, whose outputs are not
 * known yet when the resource is only to be created. The properties that held an asset the
 * policy SDK cannot read (left out) are added to `leftOut`.
 */
function resource(file: string, where: string, state: Obj, read: boolean, previewed: boolean, leftOut: LeftOut): StackResource | undefined {
    const urn = state["urn"];
    const type = state["type"];
    if (typeof urn !== "string" || typeof type !== "string") {
        throw new UsageError(`${file}: ${where} has no urn or type`);
    }
    if (skipped(type)) {
        return undefined;
    }
    const parsed = parseUrn(urn);
    if (!parsed) {
        throw new UsageError(`${file}: ${where} has a malformed URN ${JSON.stringify(urn.slice(0, 120))}`);
    }
    const properties = (member: string) => {
        try {
            return engineValue(isObj(state[member]) ? state[member] : {}, leftOut) as Obj;
        } catch (e) {
            throw e instanceof ValueError ? new UsageError(`${file}: ${where} (${type}): ${member}: ${e.message}`) : e;
        }
    };
    const inputs = properties("inputs");
    let outputs = properties("outputs");
    if (Object.keys(outputs).length === 0 && Object.keys(inputs).length > 0 && previewed) {
        // A resource a preview would create has no outputs yet; the engine projects its inputs.
        outputs = { ...inputs };
    }
    const id = state["id"];
    if (type.startsWith("aws:") && outputs["id"] === undefined && typeof id === "string" && id !== "") {
        outputs = { ...outputs, id };
    }
    const source = sourcePosition(state["sourcePosition"]);
    return stackResource({
        urn, type, name: parsed.name, inputs, outputs, ...(source && { source }),
        parent: typeof state["parent"] === "string" && state["parent"] !== "" ? state["parent"] : undefined,
        dependencies: strings(state["dependencies"]),
        propertyDependencies: propertyDependencies(state["propertyDependencies"]),
        external: read || state["external"] === true,
    });
}

/** Groups resources by the stack their URN names (a file normally holds one stack). */
function byStack(file: string, source: string, resources: StackResource[], fallbackUrns: Iterable<string>): StackInput[] {
    const stacks = new Map<string, StackInput>();
    for (const r of resources) {
        const { stack, project } = parseUrn(r.urn)!;
        const key = `${project}::${stack}`;
        let s = stacks.get(key);
        if (!s) {
            stacks.set(key, s = { file, source, stack, project, resources: [] });
        }
        s.resources.push(r);
    }
    if (stacks.size === 0) {
        // Only the stack resource and providers (or nothing): still report the stack.
        const p = [...fallbackUrns].map(parseUrn).find(x => x !== undefined);
        return [{ file, source, stack: p?.stack ?? "(unknown)", project: p?.project ?? "(unknown)", resources: [] }];
    }
    return [...stacks.values()];
}

/** Reads resource states one at a time and groups them into stacks. */
export class ResourceStates {
    private readonly out: StackResource[] = [];
    private readonly seen = new Set<string>();
    /** Resources that held an asset with no content, and the first one's name, type and properties. */
    private contentless = 0;
    private firstContentless = "";

    constructor(readonly file: string, private readonly source: string) {}

    /** Whether a state with this URN was read before (the URN is then remembered). */
    repeated(urn: string): boolean {
        if (this.seen.has(urn)) {
            return true;
        }
        this.seen.add(urn);
        return false;
    }

    /** The state `where` in the file (see resource()). */
    add(where: string, state: Obj, read: boolean, previewed: boolean): void {
        const leftOut: LeftOut = { contentless: new Set() };
        const r = resource(this.file, where, state, read, previewed, leftOut);
        if (r) {
            this.out.push(r);
            if (leftOut.contentless.size > 0 && this.contentless++ === 0) {
                this.firstContentless = `${r.name} (${r.type}), ${[...leftOut.contentless].map(p => JSON.stringify(p)).join(", ")}`;
            }
        }
    }

    stacks(): StackInput[] {
        const stacks = byStack(this.file, this.source, this.out, this.seen);
        if (this.contentless > 0) {
            stacks[0].warnings = [`${this.file}: ${this.contentless} resource(s) hold an asset with no text, path or uri ` +
                `(an empty StringAsset), e.g. ${this.firstContentless}: left out, since the engine sends it so and the ` +
                "policy SDK cannot read it (`pulumi preview` with this pack fails there: \"Invalid asset encountered when " +
                "unmarshaling resource property\")"];
        }
        return stacks;
    }
}

/** The elements of a document's array, given one at a time in file order, and the stacks they make. */
export interface ElementReader {
    element(value: unknown, index: number): void;
    stacks(): StackInput[];
}

/** A document (one JSON value) whose resources are the elements of one array. */
export interface DocumentKind extends InputKindBase {
    form: "document";
    /** The key path of the array whose elements it reads, e.g. "deployment.resources". */
    elements: string;
    /**
     * Whether a document is of this kind, from what its members are (`member("deployment")` is
     * "object", "array", "null", "other" or undefined); throws a UsageError for one that is of
     * this kind but malformed.
     */
    detect(member: (path: string) => string | undefined, file: string): boolean;
    /** A reader for the elements of `file`, given them before detect() decides. */
    read(file: string): ElementReader;
}
