/**
 * Where a Pulumi program declared a resource, as the engine records it in a state's
 * `sourcePosition` (`pulumi stack export` resources, `pulumi preview --json` steps' states):
 * `project:///PATH#LINE,COLUMN`, PATH relative to the Pulumi project's root (the folder of
 * Pulumi.yaml), or `file:///ABSOLUTE/PATH#LINE,COLUMN` for a file outside it; the column may be
 * left out. Whatever the program's language (index.ts, __main__.py, main.go): only the URI is read.
 */
import * as path from "path";
import { fileURLToPath } from "url";
import type { SourcePosition } from "./types";

/** Longer values are not read (no real path is this long). */
const MAX_LENGTH = 4096;

/** A positive decimal integer of at most 9 digits, or undefined (checked digit by digit). */
function positive(s: string): number | undefined {
    if (s.length === 0 || s.length > 9) {
        return undefined;
    }
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x30 || c > 0x39) {
            return undefined;
        }
    }
    const n = Number(s);
    return n >= 1 ? n : undefined;
}

function decoded(s: string): string | undefined {
    try {
        return decodeURIComponent(s);
    } catch {
        return undefined;
    }
}

/**
 * The position a `sourcePosition` value names; undefined when it is absent or malformed (not a
 * string, another scheme, no line, a path that leaves the project, a control character).
 */
export function sourcePosition(v: unknown): SourcePosition | undefined {
    if (typeof v !== "string" || v.length > MAX_LENGTH) {
        return undefined;
    }
    const hash = v.lastIndexOf("#");
    if (hash < 0) {
        return undefined;
    }
    const fragment = v.slice(hash + 1);
    const comma = fragment.indexOf(",");
    const line = positive(comma < 0 ? fragment : fragment.slice(0, comma));
    const column = comma < 0 ? undefined : positive(fragment.slice(comma + 1));
    if (line === undefined || (comma >= 0 && column === undefined)) {
        return undefined;
    }
    const uri = v.slice(0, hash);
    let position: Omit<SourcePosition, "line" | "column"> | undefined;
    if (uri.startsWith("project:///")) {
        const path = decoded(uri.slice("project:///".length));
        const segments = path?.split("/") ?? [];
        position = path !== undefined && segments.every(s => s !== "" && s !== "." && s !== "..") ? { root: "project", path } : undefined;
    } else if (uri.startsWith("file:///")) {
        try {
            position = { root: "file", path: fileURLToPath(uri) };
        } catch {
            position = undefined;
        }
    }
    // eslint-disable-next-line no-control-regex -- a path with a control character is no real file
    if (position === undefined || /[\x00-\x1f\x7f]/.test(position.path)) {
        return undefined;
    }
    return { ...position, line, ...(column !== undefined && { column }) };
}

/**
 * The file a position names: a `project:///` path resolved against the Pulumi project's folder
 * (`sourceRoot`, absolute: the check command's --source-root), a `file:///` path as recorded.
 */
export function positionFile(position: SourcePosition, sourceRoot: string): string {
    return position.root === "project" ? path.join(sourceRoot, ...position.path.split("/")) : position.path;
}
