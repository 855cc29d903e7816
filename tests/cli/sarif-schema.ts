/** Reading the check command's SARIF in tests: the SARIF 2.1.0 schema, and the file a location names. */
import * as fs from "fs";
import * as path from "path";
import type * as sarif from "sarif";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

/**
 * The SARIF 2.1.0 schema as Microsoft's SARIF SDK for JavaScript ships it (a draft-04 schema,
 * hence ajv-draft-04; its `language` pattern is not a valid Unicode regular expression, hence
 * unicodeRegExp off).
 */
const SCHEMA = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");

export function validator() {
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, "utf8")));
}

/**
 * The file, line and column a location names, its path read as code scanning reads it: from the
 * repository's root (`repository`), whatever the base id says.
 */
export function place(l: sarif.PhysicalLocation, repository: string): { file: string; line?: number; column?: number } {
    const a = l.artifactLocation!;
    return { file: path.join(repository, ...a.uri!.split("/").map(decodeURIComponent)), line: l.region?.startLine, column: l.region?.startColumn };
}

export function lineOf(file: string, line: number): string {
    return fs.readFileSync(file, "utf8").split("\n")[line - 1];
}
