/**
 * The bytes of a JSON text kept to parse at the end (./stream.ts), up to a limit: whole chunks as
 * they are, and small parts (what is left between the elements cut out of it) copied together
 * into buffers of their own, so that no kept part holds on to a chunk, or to a shared pool slab
 * whose other bytes would then stay in memory too.
 */
const BLOCK = 64 * 1024;

export class KeptBytes {
    private parts: Buffer[] | undefined = [];
    private size = 0;
    private block: Buffer | undefined;
    private used = 0;
    /** More than the limit came: nothing is kept. */
    overflow = false;

    constructor(readonly limit: number) {}

    get kept(): boolean {
        return this.parts !== undefined;
    }

    /** No more bytes are kept (the text is read as a stream). */
    drop(): void {
        this.parts = undefined;
        this.block = undefined;
    }

    push(part: Buffer): void {
        if (!this.parts) {
            return;
        }
        this.size += part.length;
        if (this.size > this.limit) {
            this.drop();
            this.overflow = true;
            return;
        }
        if (part.length * 2 >= part.buffer.byteLength) {
            this.seal();
            this.parts.push(part);
            return;
        }
        if (!this.block || this.used + part.length > this.block.length) {
            this.seal();
            this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK, part.length));
            this.used = 0;
        }
        part.copy(this.block, this.used);
        this.used += part.length;
    }

    private seal(): void {
        if (this.block && this.used > 0) {
            this.parts!.push(this.block.subarray(0, this.used));
        }
        this.block = undefined;
    }

    /** The bytes kept, in one buffer; undefined if they were not kept. */
    bytes(): Buffer | undefined {
        if (!this.parts) {
            return undefined;
        }
        this.seal();
        return Buffer.concat(this.parts);
    }
}
