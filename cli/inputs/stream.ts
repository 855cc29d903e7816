/**
 * Reads the elements of chosen arrays of a large JSON file (a stack export's
 * `deployment.resources`, a preview's `steps`) one at a time, in chunks, so that a file of a
 * hundred megabytes is never held whole, as text or as values. A small scanner finds where each
 * element begins and ends (strings and escapes included; the structural characters are ASCII,
 * so UTF-8 needs no decoding to find them); each element is then parsed with JSON.parse.
 */
import * as fs from "fs";

const CHUNK = 4 * 1024 * 1024;

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d,
    COLON = 0x3a, COMMA = 0x2c;

function isSpace(b: number): boolean {
    return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Where a JSON text is malformed (the scanner's own checks, or an element's JSON.parse). */
export class JsonError extends Error {}

interface Level {
    array: boolean;
    /** The key being read or last read (objects). */
    key?: string;
    /** Path of keys from the root to this container. */
    path: string;
    /** The index of this array in `targets`, when its elements are wanted. */
    target?: number;
}

export interface ScanResult {
    /**
     * What the members of the top-level object and of its objects are (key path → kind), e.g.
     * "deployment" → "object", "deployment.resources" → "array"; empty if the top level is not
     * an object.
     */
    members: Map<string, "object" | "array" | "null" | "other">;
}

/**
 * Calls `onElement(value, target, index)` for each element of each array whose key path is one
 * of `targets` (e.g. "deployment.resources"), in file order. Throws JsonError for malformed
 * JSON; the file must be one JSON value.
 */
export function scanJsonFile(file: string, targets: string[], onElement: (value: unknown, target: number, index: number) => void,
    chunkSize = CHUNK): ScanResult {
    const fd = fs.openSync(file, "r");
    try {
        const bom = Buffer.alloc(3);
        const n = fs.readSync(fd, bom, 0, 3, 0);
        const utf8Bom = n === 3 && bom[0] === 0xef && bom[1] === 0xbb && bom[2] === 0xbf;
        return scan(fd, utf8Bom ? 3 : 0, targets, onElement, chunkSize);
    } finally {
        fs.closeSync(fd);
    }
}

function scan(fd: number, start: number, targets: string[], onElement: (value: unknown, target: number, index: number) => void,
    chunkSize: number): ScanResult {
    const stack: Level[] = [];
    const result: ScanResult = { members: new Map() };
    let member: string | undefined; // the member whose value starts at the next byte
    const counts = targets.map(() => 0);
    let buf = Buffer.alloc(0);
    let base = start; // file offset of buf[0]
    let position = start;
    let inString = false;
    let escaped = false;
    let keyStart = -1; // buf offset of the opening quote of a key being read (outside wanted elements)
    let expectKey = false;
    // The wanted element being read: where it starts, the depth of its array, its target.
    let element = -1;
    let elementDepth = 0;
    let elementTarget = 0;
    let elementIsContainer = false;
    let values = 0; // top-level values seen
    const emit = (end: number) => {
        let value: unknown;
        try {
            value = JSON.parse(buf.toString("utf8", element, end));
        } catch (e) {
            throw new JsonError(`${(e as Error).message} (in the element that starts at byte ${base + element})`);
        }
        element = -1;
        onElement(value, elementTarget, counts[elementTarget]++);
    };
    for (;;) {
        const chunk = Buffer.allocUnsafe(chunkSize);
        const n = fs.readSync(fd, chunk, 0, chunkSize, position);
        if (n === 0) {
            break;
        }
        position += n;
        // Keep only what an unfinished element or key still needs.
        const keep = element >= 0 ? element : keyStart >= 0 ? keyStart : buf.length;
        const resume = buf.length - keep;
        buf = Buffer.concat([buf.subarray(keep), chunk.subarray(0, n)]);
        base += keep;
        element = element >= 0 ? element - keep : -1;
        keyStart = keyStart >= 0 ? keyStart - keep : -1;
        for (let i = resume; i < buf.length; i++) {
            const b = buf[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b === BACKSLASH) {
                    escaped = true;
                } else if (b === QUOTE) {
                    inString = false;
                    if (keyStart >= 0) {
                        try {
                            stack[stack.length - 1].key = JSON.parse(buf.toString("utf8", keyStart, i + 1)) as string;
                        } catch (e) {
                            throw new JsonError(`${(e as Error).message} (in the key at byte ${base + keyStart})`);
                        }
                        keyStart = -1;
                    }
                }
                continue;
            }
            if (isSpace(b)) {
                continue;
            }
            if (values > 0 && stack.length === 0) {
                throw new JsonError(`unexpected data after the JSON value at byte ${base + i}`);
            }
            if (member !== undefined) {
                result.members.set(member, b === OPEN_OBJECT ? "object" : b === OPEN_ARRAY ? "array" : b === 0x6e /* n */ ? "null" : "other");
                member = undefined;
            }
            // A scalar element ends at the next comma or bracket of its array.
            if (element >= 0 && !elementIsContainer && stack.length === elementDepth && (b === COMMA || b === CLOSE_ARRAY)) {
                emit(i);
            }
            const top = stack[stack.length - 1];
            if (element < 0 && top?.target !== undefined && b !== COMMA && b !== CLOSE_ARRAY) {
                element = i;
                elementDepth = stack.length;
                elementTarget = top.target;
                elementIsContainer = b === OPEN_OBJECT || b === OPEN_ARRAY;
            }
            if (b === QUOTE) {
                inString = true;
                if (element < 0 && expectKey) {
                    keyStart = i;
                }
                expectKey = false;
            } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
                if (stack.length === 0) {
                    values++;
                }
                let target: number | undefined;
                let path = "";
                if (element < 0 && top) {
                    path = top.array ? `${top.path}[]` : top.path ? `${top.path}.${top.key}` : top.key ?? "";
                    const t = b === OPEN_ARRAY ? targets.indexOf(path) : -1;
                    target = t >= 0 ? t : undefined;
                }
                stack.push({ array: b === OPEN_ARRAY, path, target });
                expectKey = b === OPEN_OBJECT;
            } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
                const closed = stack.pop();
                if (!closed || closed.array !== (b === CLOSE_ARRAY)) {
                    throw new JsonError(`unbalanced ${String.fromCharCode(b)} at byte ${base + i}`);
                }
                expectKey = false;
                if (element >= 0 && elementIsContainer && stack.length === elementDepth) {
                    emit(i + 1);
                }
            } else if (b === COMMA) {
                expectKey = top !== undefined && !top.array;
            } else if (b === COLON) {
                expectKey = false;
                if (element < 0 && top && !top.array && stack.length <= 2 && top.key !== undefined) {
                    member = top.path ? `${top.path}.${top.key}` : top.key;
                }
            } else if (stack.length === 0) {
                throw new JsonError(`the JSON text is not an object or an array (byte ${base + i})`);
            }
        }
    }
    if (inString || stack.length > 0 || values === 0) {
        throw new JsonError("unexpected end of the JSON text");
    }
    return result;
}
