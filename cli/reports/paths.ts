/**
 * Where files are, for reports that name them from the repository's root (SARIF: GitHub code
 * scanning reads every artifact URI as a path from the root of the repository it was uploaded to,
 * and ignores `originalUriBaseIds`, github/codeql-action#2215).
 *
 * The source root (--source-root) is the Pulumi project's folder, which `project:///` source
 * positions are relative to; the repository root (--repository-root) is the folder paths are
 * written from: by default the Git work tree that holds the source root (the nearest folder, from
 * the source root up, holding `.git`: a folder, or a file in a linked work tree or a submodule),
 * found without running git; outside any work tree, the working directory when it holds the
 * source root, else the source root itself.
 */
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../inputs/types";

/** More folders than any real path has (a bound on the walk up, whatever the file system does). */
const MAX_DEPTH = 4096;

/** `p` with its folders' symbolic links resolved: the real path of its longest existing ancestor, then the rest as written. */
export function canonical(p: string): string {
    const abs = path.resolve(p);
    const rest: string[] = [];
    let dir = abs;
    for (let i = 0; i < MAX_DEPTH; i++) {
        try {
            return path.join(fs.realpathSync(dir), ...rest);
        } catch {
            const parent = path.dirname(dir);
            if (parent === dir) {
                break;
            }
            rest.unshift(path.basename(dir));
            dir = parent;
        }
    }
    return abs;
}

/** A file's path with its folder's links resolved but not the file's own (a link in the repository is named as it is). */
export function canonicalFile(file: string): string {
    const abs = path.resolve(file);
    return path.join(canonical(path.dirname(abs)), path.basename(abs));
}

function isFolder(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}

/** The real path of a folder given with `option`; a UsageError naming it if it is not a folder. */
function folderOf(option: string, dir: string): string {
    if (!isFolder(dir)) {
        throw new UsageError(`${option} ${dir}: not a folder`);
    }
    return canonical(dir);
}

/** The real path of a --source-root folder (default: the working directory); a UsageError if it is not a folder. */
export function sourceRootOf(dir: string | undefined): string {
    return folderOf("--source-root", dir ?? ".");
}

/** Whether `p` is `dir` or inside it (both canonical). */
export function isWithin(p: string, dir: string): boolean {
    const rel = path.relative(dir, p);
    return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/** The nearest folder, from `dir` up, that holds a `.git` folder or file (a Git work tree's root), if any. */
export function gitWorkTreeOf(dir: string): string | undefined {
    let d = canonical(dir);
    for (let i = 0; i < MAX_DEPTH; i++) {
        try {
            const st = fs.statSync(path.join(d, ".git"));
            if (st.isDirectory() || st.isFile()) {
                return d;
            }
        } catch {
            // no .git here
        }
        const parent = path.dirname(d);
        if (parent === d) {
            return undefined;
        }
        d = parent;
    }
    return undefined;
}

/**
 * The repository's root for a source root (canonical): `dir` (--repository-root) if given, which
 * must hold the source root, else the Git work tree holding the source root, else the working
 * directory if it holds the source root, else the source root.
 */
export function repositoryRootOf(dir: string | undefined, sourceRoot: string): string {
    if (dir !== undefined) {
        const root = folderOf("--repository-root", dir);
        if (!isWithin(sourceRoot, root)) {
            throw new UsageError(`--repository-root ${dir}: does not hold the source root (--source-root, default the current folder)`);
        }
        return root;
    }
    const cwd = canonical(".");
    return gitWorkTreeOf(sourceRoot) ?? (isWithin(sourceRoot, cwd) ? cwd : sourceRoot);
}

/** The path of `file` (canonical) from `root`, with slashes and each segment URI-encoded; undefined when it is not inside. */
export function relativeUri(file: string, root: string): string | undefined {
    if (!isWithin(file, root) || file === root) {
        return undefined;
    }
    return path.relative(root, file).split(path.sep).map(encodeURIComponent).join("/");
}
