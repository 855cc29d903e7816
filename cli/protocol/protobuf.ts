/**
 * Protocol-buffer encoding of the analyzer requests the check command sends, written straight
 * from plain values into one buffer. The generated stubs build a message object for every
 * value of a property tree (`Struct.fromJavaScript`) and recurse through it twice, which at
 * 20,000 resources costs most of a gigabyte and at a few thousand levels of nesting overflows
 * the stack; this encoder uses two explicit work lists (sizes, then bytes) and no message
 * objects. The bytes are the ones the stubs produce (tests/cli/protobuf.test.ts decodes them
 * with the stubs and compares).
 *
 * Wire format: google/protobuf/struct.proto and pulumi's analyzer.proto (field numbers below).
 */

type Container = Record<string, unknown> | unknown[];

const LEN = 2; // wire type: length-delimited
const tag = (field: number, wire: number) => (field << 3) | wire;

function varintSize(n: number): number {
    let size = 1;
    while (n >= 0x80) {
        n = Math.floor(n / 128);
        size++;
    }
    return size;
}

function isContainer(v: unknown): v is Container {
    return typeof v === "object" && v !== null;
}

/** Entries of a container, as [key, value]; `undefined` members are left out, as JSON does. */
type Entry = [string | undefined, unknown];

function entries(c: Container): Entry[] {
    if (Array.isArray(c)) {
        return c.map(v => [undefined, v === undefined ? null : v]);
    }
    const out: [string, unknown][] = [];
    for (const k in c) {
        if (Object.prototype.hasOwnProperty.call(c, k) && c[k] !== undefined) {
            out.push([k, c[k]]);
        }
    }
    return out;
}

/** Encodes google.protobuf.Struct / Value / ListValue trees. */
class StructEncoder {
    private readonly sizes = new Map<Container, number>();
    /** Each container's entries, listed once (measure) and written from the same list (write). */
    private readonly lists = new Map<Container, Entry[]>();

    /** Size of a Value holding `v` (its containers' sizes must be known). */
    private valueSize(v: unknown): number {
        if (isContainer(v)) {
            const n = this.sizes.get(v)!;
            return 1 + varintSize(n) + n;
        }
        if (typeof v === "string") {
            const n = Buffer.byteLength(v);
            return 1 + varintSize(n) + n;
        }
        return typeof v === "number" ? 9 : 2; // double; bool or null
    }

    /** Size of a Struct (object) or ListValue (array) entry for `[k, v]`. */
    private entrySize(k: string | undefined, v: unknown): number {
        const value = this.valueSize(v);
        if (k === undefined) {
            return 1 + varintSize(value) + value;
        }
        const key = Buffer.byteLength(k);
        const entry = 1 + varintSize(key) + key + 1 + varintSize(value) + value;
        return 1 + varintSize(entry) + entry;
    }

    /** Computes the entries and size of every container below `root`, children before parents. */
    measure(root: Container): number {
        const todo: [Container, boolean][] = [[root, false]];
        for (let item = todo.pop(); item; item = todo.pop()) {
            const [c, children] = item;
            if (this.sizes.has(c)) {
                continue;
            }
            let list = this.lists.get(c);
            if (!list) {
                this.lists.set(c, list = entries(c));
            }
            if (!children) {
                todo.push([c, true]);
                for (const [, v] of list) {
                    if (isContainer(v) && !this.sizes.has(v)) {
                        todo.push([v, false]);
                    }
                }
                continue;
            }
            let size = 0;
            for (const [k, v] of list) {
                size += this.entrySize(k, v);
            }
            this.sizes.set(c, size);
        }
        return this.sizes.get(root)!;
    }

    /** Writes `root` (measured) as a Struct or ListValue body at `w`. */
    write(w: Writer, root: Container): void {
        // Work items: a container's entries to write, in order.
        const todo: { list: Entry[]; i: number }[] = [{ list: this.lists.get(root)!, i: 0 }];
        while (todo.length > 0) {
            const top = todo[todo.length - 1];
            if (top.i === top.list.length) {
                todo.pop();
                continue;
            }
            const [k, v] = top.list[top.i++];
            const value = this.valueSize(v);
            if (k === undefined) {
                w.tag(1, LEN).varint(value);
            } else {
                const key = Buffer.byteLength(k);
                w.tag(1, LEN).varint(1 + varintSize(key) + key + 1 + varintSize(value) + value);
                w.tag(1, LEN).varint(key).string(k, key);
                w.tag(2, LEN).varint(value);
            }
            if (isContainer(v)) {
                w.tag(Array.isArray(v) ? 6 : 5, LEN).varint(this.sizes.get(v)!);
                todo.push({ list: this.lists.get(v)!, i: 0 });
            } else if (typeof v === "string") {
                const n = Buffer.byteLength(v);
                w.tag(3, LEN).varint(n).string(v, n);
            } else if (typeof v === "number") {
                w.tag(2, 1).double(v);
            } else if (typeof v === "boolean") {
                w.tag(4, 0).varint(v ? 1 : 0);
            } else {
                w.tag(1, 0).varint(0); // null_value: NULL_VALUE
            }
        }
    }
}

class Writer {
    readonly buf: Buffer;
    private at = 0;

    constructor(size: number) {
        this.buf = Buffer.allocUnsafe(size);
    }

    tag(field: number, wire: number): this {
        return this.varint(tag(field, wire));
    }

    varint(n: number): this {
        while (n >= 0x80) {
            this.buf[this.at++] = (n % 128) | 0x80;
            n = Math.floor(n / 128);
        }
        this.buf[this.at++] = n;
        return this;
    }

    string(s: string, bytes: number): this {
        this.buf.write(s, this.at, bytes, "utf8");
        this.at += bytes;
        return this;
    }

    double(n: number): this {
        this.buf.writeDoubleLE(n, this.at);
        this.at += 8;
        return this;
    }

    bytes(b: Uint8Array): this {
        this.buf.set(b, this.at);
        this.at += b.length;
        return this;
    }

    done(): Buffer {
        if (this.at !== this.buf.length) {
            throw new Error(`protobuf encoder wrote ${this.at} of ${this.buf.length} bytes`);
        }
        return this.buf;
    }
}

/** A google.protobuf.Struct holding the properties `props`. */
export function encodeStruct(props: Record<string, unknown>): Buffer {
    const e = new StructEncoder();
    const w = new Writer(e.measure(props));
    e.write(w, props);
    return w.done();
}

/** A message of length-delimited and string fields, in field order; undefined fields are left out. */
type Field = [number, string | Uint8Array | undefined];

function message(fields: Field[]): Buffer {
    let size = 0;
    const parts = fields.filter((f): f is [number, string | Uint8Array] => f[1] !== undefined)
        .map(([field, v]) => {
            const bytes = typeof v === "string" ? Buffer.from(v, "utf8") : v;
            size += varintSize(tag(field, LEN)) + varintSize(bytes.length) + bytes.length;
            return [field, bytes] as const;
        });
    const w = new Writer(size);
    for (const [field, bytes] of parts) {
        w.tag(field, LEN).varint(bytes.length).bytes(bytes);
    }
    return w.done();
}

/** A resource as the analyzer protocol carries it. */
export interface AnalyzerResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    /** Property name → URNs of the resources that property depends on. */
    propertyDependencies?: Record<string, string[]>;
}

const NO_OPTIONS = new Uint8Array(0); // AnalyzerResourceOptions with every field at its default

/** pulumirpc.AnalyzeRequest: type 1, properties 2, urn 3, name 4, options 5. */
export function encodeAnalyzeRequest(r: AnalyzerResource): Buffer {
    return message([[1, r.type], [2, encodeStruct(r.props)], [3, r.urn], [4, r.name], [5, NO_OPTIONS]]);
}

/**
 * pulumirpc.AnalyzerResource: type 1, properties 2, urn 3, name 4, options 5, parent 7,
 * dependencies 8 (repeated), propertyDependencies 9 (map of AnalyzerPropertyDependencies{urns 1}).
 */
export function encodeAnalyzerResource(r: AnalyzerResource): Buffer {
    const fields: Field[] = [[1, r.type], [2, encodeStruct(r.props)], [3, r.urn], [4, r.name], [5, NO_OPTIONS], [7, r.parent]];
    for (const d of r.dependencies ?? []) {
        fields.push([8, d]);
    }
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        fields.push([9, message([[1, k], [2, message(urns.map((u): Field => [1, u]))]])]);
    }
    return message(fields);
}

/** pulumirpc.AnalyzeStackRequest from resources already encoded: resources 1 (repeated). */
export function encodeAnalyzeStackRequest(resources: Uint8Array[]): Buffer {
    return message(resources.map((r): Field => [1, r]));
}
