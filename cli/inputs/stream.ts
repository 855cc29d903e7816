/**
 * A streaming JSON reader: the bytes of a file are given chunk by chunk (JsonScanner.push), every
 * byte is checked against JSON's grammar, and the elements of chosen arrays (a stack export's
 * `deployment` → `resources`, a preview's `steps`) are parsed and handed over one at a time, so a
 * file of a hundred megabytes is never held whole (./json-grammar.ts: the grammar). A file may
 * also be a sequence of values (JSON Lines, concatenated documents): their bytes are kept and
 * parsed at the end, unless an element was handed over (a Pulumi document, read as a stream);
 * the elements of `cut` targets (AWS Config items) are handed over and left out of what is kept.
 * Errors (JsonError) say what is wrong and where, never what the text is.
 */
import {
    MemberKind, BACKSLASH, BOM, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, COMPLETE_NUMBER, Expect, isDigit, isHex, isSpace, JsonError, Level, LITERALS, MAX_KEPT, MAX_PATH, MINUS,
    NEWLINE, numberStep, NumberState, OPEN_ARRAY, OPEN_OBJECT, QUOTE, ScanOptions, ScanResult, SIMPLE_ESCAPES, Token, TooDeep, TooLargeToHold, ZERO,
} from "./json-grammar";
import { KeptBytes } from "./kept-bytes";

export { JsonError, MAX_KEPT, TooDeep, TooLargeToHold } from "./json-grammar";
export type { MemberKind, ScanOptions, ScanResult } from "./json-grammar";

/**
 * Scans a JSON text (one value, or a sequence of objects and arrays separated by whitespace)
 * given in chunks; `onElement(value, target, index)` is called for each element of each array
 * whose key path is one of `targets` ("deployment.resources": the member `resources` of the
 * top-level member `deployment`), in file order. Every method throws JsonError for malformed JSON.
 */
export class JsonScanner {
    private readonly targets: string[][];
    private readonly stack: Level[] = [];
    private readonly members = new Map<string, MemberKind>();
    private readonly counts: number[];
    private readonly maxDepth: number;
    private readonly single: boolean;
    private expect: Expect = "value";
    private token: Token = "none";
    private escaped = false;
    private hexLeft = 0;
    private isKey = false;
    private numberState: NumberState = "int";
    private literal = Buffer.alloc(0);
    private literalIndex = 0;
    /** The member whose value starts next (a key path, as JSON), if it is recorded. */
    private member: string | undefined;
    /** The key just read, if it is needed (a member or a path). */
    private key: string | undefined;
    /** Absolute offset where the text being captured (an element, a key) starts, or -1. */
    private captureStart = -1;
    private elementDepth = 0;
    private elementTarget = 0;
    private captureIsKey = false;
    /** Chunks (from captureStart) of a capture that began in an earlier chunk. */
    private pending: Buffer[] = [];
    private values = 0;
    private firstIsContainer = false;
    private offset = 0; // absolute offset of the current chunk's first byte
    private position = 0; // absolute offset of the byte being read
    private bom = 0; // bytes of a byte order mark read
    private line = 1;
    private column = 0; // characters since the last newline
    private deepest = { depth: 0, at: "line 1, column 1" };
    private streamed = false;
    /** Bytes of the top-level values (from the first one's start), while they are kept. */
    private readonly kept: KeptBytes;
    private keptStart = -1;
    private readonly valueEnds: number[] = [];
    /** Kept from (absolute; -1 in an element cut out); bytes of cut elements left out so far, where the last began. */
    private keptFrom = -1;
    private removed = 0;
    private cutStart = 0;
    private readonly cut: ReadonlySet<number>;
    private current: Buffer = Buffer.alloc(0);

    constructor(targets: string[], private readonly onElement: (value: unknown, target: number, index: number, valueIndex: number) => void = () => undefined,
        opts: ScanOptions = {}) {
        this.targets = targets.map(t => t.split("."));
        this.counts = targets.map(() => 0);
        this.maxDepth = opts.maxDepth ?? Infinity;
        this.kept = new KeptBytes(opts.keep ?? MAX_KEPT);
        this.single = opts.single ?? false;
        this.cut = opts.cut ?? new Set();
    }

    private fail(problem: string): never {
        throw new JsonError(problem, this.line, this.column, this.position);
    }

    /** The text from `start` (absolute) to `end` (in the current chunk). */
    private text(chunk: Buffer, start: number, end: number): string {
        if (start >= this.offset) {
            return chunk.toString("utf8", start - this.offset, end);
        }
        return Buffer.concat([...this.pending, chunk.subarray(0, end)]).toString("utf8");
    }

    push(chunk: Buffer): void {
        this.current = chunk;
        for (let i = 0; i < chunk.length; i++) {
            const b = chunk[i];
            this.position = this.offset + i;
            if (this.position < BOM.length && this.bom === this.position) {
                if (b === BOM[this.position]) {
                    this.bom++; // a UTF-8 byte order mark, skipped
                    continue;
                }
                if (this.bom > 0) {
                    this.fail("unexpected character");
                }
            }
            if (b === NEWLINE) {
                this.line++;
                this.column = 0;
            } else if ((b & 0xc0) !== 0x80) {
                this.column++;
            }
            if (this.token !== "none" && this.inToken(chunk, i, b)) {
                continue;
            }
            if (isSpace(b)) {
                continue;
            }
            this.structural(chunk, i, b);
        }
        // Keep what an unfinished capture still needs, and the values' bytes.
        if (this.captureStart >= 0) {
            if (this.captureStart >= this.offset) {
                this.pending = [chunk.subarray(this.captureStart - this.offset)];
            } else {
                this.pending.push(chunk);
            }
        } else {
            this.pending = [];
        }
        if (this.kept.kept && this.keptFrom >= 0) {
            this.kept.push(this.keptFrom >= this.offset ? chunk.subarray(this.keptFrom - this.offset) : chunk);
            this.keptFrom = this.offset + chunk.length;
        }
        this.offset += chunk.length;
    }

    /** Handles a byte inside a string, number or literal; false if it ended a number (the byte is then structural). */
    private inToken(chunk: Buffer, i: number, b: number): boolean {
        if (this.token === "string") {
            if (this.hexLeft > 0) {
                if (!isHex(b)) {
                    this.fail("invalid \\u escape in a string");
                }
                this.hexLeft--;
            } else if (this.escaped) {
                if (b === 0x75) {
                    this.hexLeft = 4;
                } else if (!SIMPLE_ESCAPES.has(b)) {
                    this.fail("invalid escape in a string");
                }
                this.escaped = false;
            } else if (b === BACKSLASH) {
                this.escaped = true;
            } else if (b === QUOTE) {
                this.token = "none";
                if (this.isKey) {
                    this.endKey(chunk, i + 1);
                } else {
                    this.endValue(chunk, i + 1);
                }
            } else if (b < 0x20) {
                this.fail("control character in a string");
            }
            return true;
        }
        if (this.token === "literal") {
            if (b !== this.literal[this.literalIndex]) {
                this.fail("invalid literal");
            }
            if (++this.literalIndex === this.literal.length) {
                this.token = "none";
                this.endValue(chunk, i + 1);
            }
            return true;
        }
        const next = numberStep(this.numberState, b);
        if (next !== undefined) {
            this.numberState = next;
            return true;
        }
        if (!COMPLETE_NUMBER.has(this.numberState)) {
            this.fail("invalid number");
        }
        this.token = "none";
        this.endValue(chunk, i);
        return false;
    }

    private structural(chunk: Buffer, i: number, b: number): void {
        const top = this.stack[this.stack.length - 1];
        switch (this.expect) {
            case "value-or-close":
                if (b === CLOSE_ARRAY) {
                    this.close(chunk, i, true);
                    return;
                }
                this.startValue(i, b);
                return;
            case "value":
                this.startValue(i, b);
                return;
            case "key-or-close":
                if (b === CLOSE_OBJECT) {
                    this.close(chunk, i, false);
                    return;
                }
            // falls through
            case "key":
                if (b !== QUOTE) {
                    this.fail("expected a member name in quotes");
                }
                this.token = "string";
                this.isKey = true;
                if (this.captureStart < 0 && top.path !== undefined && top.path.length < MAX_PATH) {
                    this.captureStart = this.offset + i;
                    this.captureIsKey = true;
                }
                return;
            case "colon":
                if (b !== COLON) {
                    this.fail("expected ':'");
                }
                this.expect = "value";
                if (this.key !== undefined && top.path !== undefined) {
                    this.member = JSON.stringify([...top.path, this.key]);
                }
                return;
            case "after":
                if (!top) {
                    // Another top-level value: only in a sequence of objects and arrays.
                    if ((b === OPEN_OBJECT || b === OPEN_ARRAY) && this.firstIsContainer && !this.single) {
                        this.startValue(i, b);
                        return;
                    }
                    this.fail("unexpected data after the JSON value");
                }
                if (b === COMMA) {
                    this.expect = top.array ? "value" : "key";
                } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
                    if (top.array !== (b === CLOSE_ARRAY)) {
                        this.fail(`unbalanced '${String.fromCharCode(b)}'`);
                    }
                    this.close(chunk, i, top.array);
                } else {
                    this.fail(top.array ? "expected ',' or ']'" : "expected ',' or '}'");
                }
        }
    }

    private startValue(i: number, b: number): void {
        const top = this.stack[this.stack.length - 1];
        if (this.member !== undefined) {
            this.members.set(this.member, b === OPEN_OBJECT ? "object" : b === OPEN_ARRAY ? "array" : b === 0x6e /* n */ ? "null" : "other");
            this.member = undefined;
        }
        if (!top) {
            if (this.values === 0) {
                this.firstIsContainer = b === OPEN_OBJECT || b === OPEN_ARRAY;
                this.keptStart = this.keptFrom = this.offset + i;
            }
        } else if (top.target !== undefined && this.captureStart < 0) {
            this.captureStart = this.offset + i;
            this.captureIsKey = false;
            this.elementDepth = this.stack.length;
            this.elementTarget = top.target;
            if (this.cut.has(top.target) && this.kept.kept && this.keptFrom >= 0) {
                // Left out of the kept values: what comes before it is kept now.
                this.kept.push(this.current.subarray(Math.max(this.keptFrom - this.offset, 0), i));
                this.keptFrom = -1;
                this.cutStart = this.offset + i;
            }
        }
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
            const array = b === OPEN_ARRAY;
            let path: string[] | undefined;
            let target: number | undefined;
            if (!top) {
                path = [];
            } else if (top.path !== undefined && !top.array && this.key !== undefined && top.path.length < MAX_PATH) {
                path = [...top.path, this.key];
                const t = array ? this.targets.findIndex(k => k.length === path!.length && k.every((x, j) => x === path![j])) : -1;
                target = t >= 0 ? t : undefined;
            }
            this.stack.push({ array, path, target });
            if (this.stack.length > this.deepest.depth) {
                this.deepest = { depth: this.stack.length, at: `line ${this.line}, column ${this.column}` };
                if (this.stack.length > this.maxDepth) {
                    throw new TooDeep(`nesting deeper than ${this.maxDepth} levels`, this.line, this.column, this.position);
                }
            }
            this.key = undefined;
            this.expect = array ? "value-or-close" : "key-or-close";
            return;
        }
        if (b === QUOTE) {
            this.token = "string";
            this.isKey = false;
        } else if (b === MINUS || isDigit(b)) {
            this.token = "number";
            this.numberState = b === MINUS ? "minus" : b === ZERO ? "zero" : "int";
        } else if (LITERALS.has(b)) {
            this.token = "literal";
            this.literal = LITERALS.get(b)!;
            this.literalIndex = 1;
        } else {
            this.fail("unexpected character");
        }
    }

    private endKey(chunk: Buffer, end: number): void {
        this.expect = "colon";
        if (this.captureStart >= 0 && this.captureIsKey) {
            this.key = JSON.parse(this.text(chunk, this.captureStart, end)) as string;
            this.captureStart = -1;
        } else {
            this.key = undefined;
        }
    }

    private close(chunk: Buffer, i: number, array: boolean): void {
        const closed = this.stack.pop()!;
        if (closed.array !== array) {
            this.fail(`unbalanced '${array ? "]" : "}"}'`);
        }
        this.key = undefined;
        this.endValue(chunk, i + 1);
    }

    /** A value ended just before `end` (in the current chunk). */
    private endValue(chunk: Buffer, end: number): void {
        this.expect = "after";
        if (this.stack.length === 0) {
            this.values++;
            this.valueEnds.push(this.offset + end - this.removed);
            this.counts.fill(0);
            return;
        }
        if (this.captureStart >= 0 && !this.captureIsKey && this.stack.length === this.elementDepth) {
            const value = JSON.parse(this.text(chunk, this.captureStart, end)) as unknown;
            this.captureStart = -1;
            this.pending = [];
            if (this.cut.has(this.elementTarget)) {
                // One byte, "0", in its place: the values stay JSON, parsed at the end without it.
                this.kept.push(Buffer.from("0"));
                this.removed += this.offset + end - this.cutStart - 1;
                this.keptFrom = this.offset + end;
                this.onElement(value, this.elementTarget, this.counts[this.elementTarget]++, this.values);
                return;
            }
            if (!this.streamed) {
                this.streamed = true;
                this.kept.drop(); // a Pulumi document: its values are not parsed at the end
            }
            this.onElement(value, this.elementTarget, this.counts[this.elementTarget]++, this.values);
        }
    }

    /** The end of the text: throws JsonError if it is unfinished or empty. */
    end(): ScanResult {
        this.position = this.offset;
        if (this.token === "number" && COMPLETE_NUMBER.has(this.numberState)) {
            this.token = "none";
            this.endValue(Buffer.alloc(0), 0);
        }
        if (this.token !== "none" || this.stack.length > 0) {
            this.fail("unexpected end of the JSON text");
        }
        if (this.values === 0) {
            this.fail("no JSON value");
        }
        const { members, values, deepest, streamed, keptStart, valueEnds, kept } = this;
        return {
            member: p => members.get(JSON.stringify(p.split("."))),
            members, values, deepest, streamed,
            documents() {
                const bytes = kept.bytes();
                if (!bytes) {
                    throw kept.overflow ? new TooLargeToHold(kept.limit) : new Error("the values of a streamed document are not kept");
                }
                let start = 0;
                return valueEnds.map(e => {
                    const end = e - keptStart;
                    const v = JSON.parse(bytes.toString("utf8", start, end)) as unknown;
                    start = end;
                    return v;
                });
            },
        };
    }
}

/** The JSON values of a text held whole (one value, or a sequence of objects and arrays); throws JsonError. */
export function parseJson(text: Buffer | string, opts: ScanOptions = {}): unknown[] {
    const scanner = new JsonScanner([], undefined, opts);
    scanner.push(typeof text === "string" ? Buffer.from(text, "utf8") : text);
    return scanner.end().documents();
}
