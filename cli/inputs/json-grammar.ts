/**
 * JSON's grammar, byte by byte, as the streaming reader (./stream.ts) checks it: whitespace,
 * digits, escapes, literals, the number automaton, and the errors it reports (what and where,
 * never the text). The structural characters are ASCII, so UTF-8 needs no decoding to find them.
 */
import { constants } from "buffer";

export const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d,
    COLON = 0x3a, COMMA = 0x2c, MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39, NEWLINE = 0x0a;

export function isSpace(b: number): boolean {
    return b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;
}

export function isDigit(b: number): boolean {
    return b >= ZERO && b <= NINE;
}

export function isHex(b: number): boolean {
    return isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** The one-byte escapes of JSON strings: " \ / b f n r t. */
export const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

export const BOM = [0xef, 0xbb, 0xbf];

export const LITERALS = new Map([[0x74, Buffer.from("true")], [0x66, Buffer.from("false")], [0x6e, Buffer.from("null")]]);

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

export interface Level {
    array: boolean;
    /** Keys from the root to this container, while they can still lead to a target or a member (depth ≤ 2). */
    path?: string[];
    /** The index of this array in the targets, when its elements are wanted. */
    target?: number;
}

/** The deepest paths that matter: members of the top-level object and of its objects, and target arrays. */
export const MAX_PATH = 2;

/** The most bytes of values kept to parse at the end: what one string can hold. */
export const MAX_KEPT = constants.MAX_STRING_LENGTH;

export type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "after";
export type Token = "none" | "string" | "number" | "literal";
/** Number grammar: after "-", after a leading 0, in the integer, after ".", in the fraction, after "e", after its sign, in the exponent. */
export type NumberState = "minus" | "zero" | "int" | "dot" | "frac" | "e" | "sign" | "exp";

export function numberStep(s: NumberState, b: number): NumberState | undefined {
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

export const COMPLETE_NUMBER = new Set<NumberState>(["zero", "int", "frac", "exp"]);

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
    /**
     * Targets whose elements are handed over and left out of the kept values (each becomes `0`
     * there): the file stays a sequence of values, parsed at the end, without holding them.
     */
    cut?: ReadonlySet<number>;
}

