/**
 * What the check command's tests share (tests/cli/check-*.test.ts): the examples, the catalogue's
 * resource policies as reports list them, the form of a usage error, and a temporary folder per
 * test file, removed after it. Expectations on results, counts and scores: ./check-results.ts.
 */
import * as assert from "assert";
import { tempFolder as sharedTempFolder } from "./aws-records";
import { RULES } from "../../policies/catalogue/index";
import { Run } from "./run";

/** The catalogue's resource policies, all of them (a configuration can enable every one), in the order reports list them. */
export const ALL_RESOURCE_POLICIES = RULES.filter(r => !("stack" in r.subject)).map(r => r.name);

export const EXAMPLES = ["chainer-model", "isolated-model", "marketplace-model", "training-pipeline"];
export const exportOf = (name: string) => `examples/${name}/stack-export.json`;

/** A usage or input error: exit 2, nothing on stdout, one line on stderr naming `subject`. */
export function assertUsageError(r: Run, subject: string, problem: RegExp): void {
    assert.strictEqual(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.strictEqual(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.strictEqual(lines.length, 1, `one line on stderr: ${r.stderr}`);
    assert.ok(lines[0].startsWith("sagemaker-isolation-check: "), lines[0]);
    assert.ok(lines[0].includes(subject), `names ${subject}: ${lines[0]}`);
    assert.match(lines[0], problem);
    assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
}


/** The check command tests' temporary folder (./aws-records.ts tempFolder, with this prefix by default). */
export function tempFolder(prefix = "isolation-check-"): ReturnType<typeof sharedTempFolder> {
    return sharedTempFolder(prefix);
}
