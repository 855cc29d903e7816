/**
 * A streaming JSON reader: the bytes of a file are given chunk by chunk (JsonScanner.push), every
 * byte is checked against JSON's grammar, and the elements of chosen arrays (a stack export's
 * `deployment` → `resources`, a preview's `steps`) are parsed and handed over one at a time, so a
 * file of a hundred megabytes is never held whole, as text or as values. The structural
 * characters are ASCII, so UTF-8 needs no decoding to find them; each element is then parsed with
 * JSON.parse. A file may also be a sequence of values (JSON Lines, concatenated documents): the
 * scanner keeps their bytes, unless an element was handed over (then the file is a Pulumi
 * document, read as a stream), and parses them at the end.
 *
 * Errors (JsonError) say what is wrong and where (line and column, and byte offset), never what
 * the text is: an input may hold secrets.
 */
import { constants } from "buffer";

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d,
    COLON = 0x3a, COMMA = 0x2c, MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39, NEWLINE = 0x0a;

function isSpace(b: number): boolean {
    return b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;
}

function isDigit(b: number): boolean {
    return b >= ZERO && b <= NINE;
}

function isHex(b: number): boolean {
    return isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** The one-byte escapes of JSON strings: " \ / b f n r t. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

const BOM = [0xef, 0xbb, 0xbf];

const LITERALS = new Map([[0x74, Buffer.from("true")], [0x66, Buffer.from("false")], [0x6e, Buffer.from("null")]]);

/** Where a JSON text is malformed: what is wrong and where, never the text itself. */
export class JsonError extends Error {
    constructor(readonly problem: string, readonly line: number, readonly column: number, readonly offset: number) {
        super(`${problem} at line ${line}, column ${column}`);
    }

    /** The problem and its byte offset (for JSON embedded in a string, where lines mean little). */
    get atByte(): string {
        return `${this.problem} at byte ${this.offset}`;
    }
}

/** Nesting deeper than a reader allows (JSON, but not what the reader takes). */
export class TooDeep extends JsonError {}

/** More bytes kept for a sequence of values than one string can hold (see JsonScanner's `keep`). */
export class TooLargeToHold extends Error {
    constructor(readonly limit: number) {
        super(`more than ${limit} bytes to read whole`);
    }
}

/** What a JSON value is, by its first character. */
export type MemberKind = "object" | "array" | "null" | "other";

interface Level {
    array: boolean;
    /** Keys from the root to this container, while they can still lead to a target or a member (depth ≤ 2). */
    path?: string[];
    /** The index of this array in the targets, when its elements are wanted. */
    target?: number;
}

/** The deepest paths that matter: members of the top-level object and of its objects, and target arrays. */
const MAX_PATH = 2;

/** The most bytes of values kept to parse at the end: what one string can hold. */
export const MAX_KEPT = constants.MAX_STRING_LENGTH;

type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "after";
type Token = "none" | "string" | "number" | "literal";
/** Number grammar: after "-", after a leading 0, in the integer, after ".", in the fraction, after "e", after its sign, in the exponent. */
type NumberState = "minus" | "zero" | "int" | "dot" | "frac" | "e" | "sign" | "exp";

function numberStep(s: NumberState, b: number): NumberState | undefined {
    switch (s) {
        case "minus": return b === ZERO ? "zero" : isDigit(b) ? "int" : undefined;
        case "zero": return b === DOT ? "dot" : b === 0x65 || b === 0x45 ? "e" : undefined;
        case "int": return isDigit(b) ? "int" : b === DOT ? "dot" : b === 0x65 || b === 0x45 ? "e" : undefined;
        case "dot": return isDigit(b) ? "frac" : undefined;
        case "frac": return isDigit(b) ? "frac" : b === 0x65 || b === 0x45 ? "e" : undefined;
        case "e": return b === PLUS || b === MINUS ? "sign" : isDigit(b) ? "exp" : undefined;
        case "sign":
        case "exp": return isDigit(b) ? "exp" : undefined;
    }
}

const COMPLETE_NUMBER = new Set<NumberState>(["zero", "int", "frac", "exp"]);

export interface ScanResult {
    /** What a member of the top-level object, or of its objects, is: `member("deployment.resources")`. */
    member: (path: string) => MemberKind | undefined;
    /** Every such member, by its key path as a JSON array (`["deployment","resources"]`): a key may hold a dot. */
    members: ReadonlyMap<string, MemberKind>;
    /** How many top-level values the text holds. */
    values: number;
    /** The deepest nesting seen, and where it was first reached ("line L, column C"). */
    deepest: { depth: number; at: string };
    /** Whether some element of a target array was handed over. */
    streamed: boolean;
    /** The top-level values, parsed (only if nothing was streamed: then their bytes were kept). */
    documents: () => unknown[];
}

export interface ScanOptions {
    /** Reject nesting deeper than this (default: no limit). */
    maxDepth?: number;
    /** Keep the bytes of the top-level values to parse them at the end, up to this many (default MAX_KEPT). */
    keep?: number;
    /** One value only, not a sequence. */
    single?: boolean;
}

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
    private kept: Buffer[] | undefined = [];
    private keptStart = -1;
    private keptBytes = 0;
    private readonly keepLimit: number;
    private keptOverflow = false;
    private readonly valueEnds: number[] = [];

    constructor(targets: string[], private readonly onElement: (value: unknown, target: number, index: number) => void = () => undefined,
        opts: ScanOptions = {}) {
        this.targets = targets.map(t => t.split("."));
        this.counts = targets.map(() => 0);
        this.maxDepth = opts.maxDepth ?? Infinity;
        this.keepLimit = opts.keep ?? MAX_KEPT;
        this.single = opts.single ?? false;
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
        if (this.kept && this.keptStart >= 0) {
            const part = this.keptStart >= this.offset ? chunk.subarray(this.keptStart - this.offset) : chunk;
            this.keptBytes += part.length;
            if (this.keptBytes > this.keepLimit) {
                this.kept = undefined;
                this.keptOverflow = true;
            } else {
                this.kept.push(part);
            }
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
                this.keptStart = this.offset + i;
            }
        } else if (top.target !== undefined && this.captureStart < 0) {
            this.captureStart = this.offset + i;
            this.captureIsKey = false;
            this.elementDepth = this.stack.length;
            this.elementTarget = top.target;
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
            this.valueEnds.push(this.offset + end);
            return;
        }
        if (this.captureStart >= 0 && !this.captureIsKey && this.stack.length === this.elementDepth) {
            const value = JSON.parse(this.text(chunk, this.captureStart, end)) as unknown;
            this.captureStart = -1;
            this.pending = [];
            if (!this.streamed) {
                this.streamed = true;
                this.kept = undefined; // a Pulumi document: its values are not parsed at the end
            }
            this.onElement(value, this.elementTarget, this.counts[this.elementTarget]++);
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
        const { members, values, deepest, streamed, keptStart, valueEnds } = this;
        const kept = this.kept;
        const overflow = this.keptOverflow;
        const limit = this.keepLimit;
        return {
            member: p => members.get(JSON.stringify(p.split("."))),
            members, values, deepest, streamed,
            documents() {
                if (!kept) {
                    throw overflow ? new TooLargeToHold(limit) : new Error("the values of a streamed document are not kept");
                }
                const bytes = Buffer.concat(kept);
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
