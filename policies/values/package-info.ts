/**
 * What the pack's package.json says of the pack: its version (the pack reports it, a changelog
 * entry names it) and its homepage (each policy's `url` is absolute from it, so that the link
 * Pulumi Cloud shows on a finding opens the policy's documentation).
 *
 * The package.json is the first one above this file: the repository's from the TypeScript
 * sources (policies/values/), the package's own from the compiled pack (bin/policies/values/), also
 * once installed in node_modules or republished under another name. Read once, on first use.
 */
import * as fs from "fs";
import * as path from "path";
import { isObj } from "./values";

/** The document whose sections (one heading per policy, its name) document the policies. */
export const POLICY_DOCS = "docs/policies.md";

export interface PackageInfo {
    name: string;
    version: string;
    homepage?: string;
}

/** The nearest package.json above `dir`, read; undefined if there is none or it cannot be read. */
export function packageInfoAbove(dir: string): PackageInfo | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
        const file = path.join(d, "package.json");
        if (fs.existsSync(file)) {
            try {
                const pkg: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
                if (!isObj(pkg)) {
                    return undefined;
                }
                const str = (v: unknown) => typeof v === "string" && v !== "" ? v : undefined;
                const homepage = str(pkg["homepage"]);
                return { name: str(pkg["name"]) ?? "", version: str(pkg["version"]) ?? "0.0.0", ...(homepage ? { homepage } : {}) };
            } catch {
                return undefined;
            }
        }
        if (path.dirname(d) === d) {
            return undefined;
        }
    }
}

let info: PackageInfo | undefined;

/** The pack's package.json (name, version, homepage). */
export function packageInfo(): PackageInfo {
    return info ??= packageInfoAbove(__dirname) ?? { name: "", version: "0.0.0" };
}

/**
 * Where policy `name` is documented:
 * - no homepage (or one that is not an http(s) address): the relative link `docs/policies.md#<name>`;
 * - a GitHub repository's address (`https://github.com/<owner>/<repo>`, as npm writes it, with or
 *   without `#readme`): the policy's section of the documents on the default branch,
 *   `https://github.com/<owner>/<repo>/blob/HEAD/docs/policies.md#<name>`;
 * - any other address: that page's section `<homepage>#<name>` (a fragment it has is replaced).
 */
export function policyUrl(name: string, homepage: string | undefined = packageInfo().homepage): string {
    let url: URL | undefined;
    try {
        url = homepage === undefined ? undefined : new URL(homepage);
    } catch {
        url = undefined;
    }
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
        return `${POLICY_DOCS}#${name}`;
    }
    url.hash = "";
    const parts = url.pathname.split("/").filter(p => p !== "");
    if (url.hostname === "github.com" && parts.length === 2 && url.search === "") {
        const repo = parts[1].endsWith(".git") ? parts[1].slice(0, -".git".length) : parts[1];
        return `https://github.com/${parts[0]}/${repo}/blob/HEAD/${POLICY_DOCS}#${name}`;
    }
    return `${url.toString()}#${name}`;
}
