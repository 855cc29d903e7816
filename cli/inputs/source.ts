/**
 * The bytes of an input, as a stream of chunks: a regular file, standard input (`-` or
 * `/dev/stdin`), a pipe, a FIFO or a character device (`<(pulumi stack export)`) alike, read in
 * order and never by position or size. A gzip file (by its magic number) is inflated as it is
 * read. At most `maxBytes` are read from a file and at most `maxBytes` come out of its
 * decompression: past that, a UsageError naming the file and the cap. A FIFO with no writer
 * blocks, as `cat` would, in a thread of its own (the process waits, it does not spin).
 */
import * as fs from "fs";
import { Readable, pipeline } from "stream";
import * as zlib from "zlib";
import { UsageError } from "./types";

/** The default of --max-file-bytes: 2 GiB. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;

const CHUNK = 4 * 1024 * 1024;

const UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `512M`, `2G`, `1048576`, `1.5G` (binary units, an optional `B`/`iB`) → bytes; undefined if not such a size. */
export function parseSize(text: string): number | undefined {
    const m = /^(\d{1,15}(?:\.\d{1,6})?)([KMGT]?)(?:i?B)?$/i.exec(text.trim());
    if (!m) {
        return undefined;
    }
    const n = Math.floor(Number(m[1]) * UNITS[m[2].toUpperCase()]);
    return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/** A size as people read it: 2 GiB, 512 MiB, 1000 bytes. */
export function formatSize(n: number): string {
    for (const [unit, size] of [["TiB", UNITS.T], ["GiB", UNITS.G], ["MiB", UNITS.M], ["KiB", UNITS.K]] as const) {
        if (n >= size && n % size === 0) {
            return `${n / size} ${unit}`;
        }
    }
    return `${n} bytes`;
}

/** Whether a file name means standard input. */
export function isStdin(file: string): boolean {
    return file === "-" || file === "/dev/stdin";
}

/** The error of a file larger than the cap. */
export function tooLarge(file: string, maxBytes: number, what = "holds"): UsageError {
    return new UsageError(`${file}: ${what} more than ${formatSize(maxBytes)}, the most read from one file (--max-file-bytes)`);
}

/** Why a file cannot be read, in a few words (never its content). */
export function unreadable(file: string, e: unknown): UsageError {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot be read (${code ?? "unknown error"})`;
    return new UsageError(`${file}: ${why}`);
}

/** Chunks of `source`, throwing `tooLarge` once more than `maxBytes` came. */
async function* capped(source: AsyncIterable<Buffer>, file: string, maxBytes: number, what: string): AsyncGenerator<Buffer> {
    let total = 0;
    for await (const chunk of source) {
        total += chunk.length;
        if (total > maxBytes) {
            throw tooLarge(file, maxBytes, what);
        }
        yield chunk;
    }
}

async function* raw(file: string, onStat: (st: fs.Stats) => void): AsyncGenerator<Buffer> {
    let stream: Readable;
    if (isStdin(file)) {
        onStat(fs.fstatSync(0));
        stream = process.stdin;
    } else {
        const fh = await fs.promises.open(file, "r");
        try {
            onStat(await fh.stat());
        } catch (e) {
            await fh.close();
            throw e;
        }
        stream = fh.createReadStream({ highWaterMark: CHUNK });
    }
    try {
        for await (const chunk of stream) {
            yield chunk as Buffer;
        }
    } finally {
        stream.destroy();
    }
}

/**
 * The bytes of `file` (decompressed if it is gzip), chunk by chunk. `onStat` is given the file's
 * status once it is open (what was read, whatever the path says). Throws UsageError naming the
 * file: unreadable, not valid gzip, or larger than `maxBytes`.
 */
export async function* readBytes(file: string, maxBytes: number, onStat: (st: fs.Stats) => void = () => undefined): AsyncGenerator<Buffer> {
    const it = capped(raw(file, onStat), file, maxBytes, "holds")[Symbol.asyncIterator]();
    try {
        let head: Buffer = Buffer.alloc(0);
        let done = false;
        while (head.length < 2 && !done) {
            const r = await it.next();
            done = r.done === true;
            head = r.done ? head : head.length === 0 ? r.value : Buffer.concat([head, r.value]);
        }
        const rest = async function* () {
            if (head.length > 0) {
                yield head;
            }
            for (let r = await it.next(); !r.done; r = await it.next()) {
                yield r.value;
            }
        };
        if (head[0] !== 0x1f || head[1] !== 0x8b) { // gzip's magic number, whatever the file's name
            yield* rest();
            return;
        }
        const gunzip = zlib.createGunzip({ chunkSize: 1024 * 1024 });
        pipeline(Readable.from(rest()), gunzip, () => undefined);
        try {
            yield* capped(gunzip, file, maxBytes, "inflates to");
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (typeof code === "string" && code.startsWith("Z_")) {
                throw new UsageError(`${file}: not a valid gzip file (${(e as Error).message.split("\n")[0]})`);
            }
            throw e;
        } finally {
            gunzip.destroy();
        }
    } catch (e) {
        throw e instanceof UsageError ? e : unreadable(file, e);
    } finally {
        await it.return?.(undefined);
    }
}

/**
 * The whole of a small file (a configuration), read synchronously in order (a FIFO or a pipe
 * too), within the same cap; throws UsageError naming the file.
 */
export function readSmallFile(file: string, maxBytes: number, onStat: (st: fs.Stats) => void = () => undefined): Buffer {
    const chunks: Buffer[] = [];
    let total = 0;
    let fd: number | undefined;
    try {
        fd = fs.openSync(file, "r");
        onStat(fs.fstatSync(fd));
        for (;;) {
            const chunk = Buffer.allocUnsafe(64 * 1024);
            const n = fs.readSync(fd, chunk, 0, chunk.length, null);
            if (n === 0) {
                return Buffer.concat(chunks);
            }
            total += n;
            if (total > maxBytes) {
                throw tooLarge(file, maxBytes);
            }
            chunks.push(chunk.subarray(0, n));
        }
    } catch (e) {
        throw e instanceof UsageError ? e : unreadable(file, e);
    } finally {
        if (fd !== undefined) {
            fs.closeSync(fd);
        }
    }
}
