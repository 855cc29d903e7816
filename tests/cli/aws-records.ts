/** The AWS records fixtures (tests/fixtures/aws-records/, data: copy and change them in a temporary folder) and helpers of their tests. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { UsageError } from "../../cli/inputs/types";
import { ROOT } from "./run";

export const FIXTURES = path.join(ROOT, "tests", "fixtures", "aws-records");
export const TRAIL = path.join(FIXTURES, "trail");
export const NOTEBOOKS = path.join(FIXTURES, "notebooks");
export const CONFIG = path.join(FIXTURES, "config");
export const USE1_FILE = path.join(TRAIL, "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/04/111122223333_CloudTrail_us-east-1_20240304T0915Z_Ab3dE5gH7jK9mN1p.json.gz");
export const EUW1_FILE = path.join(TRAIL, "AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/12/111122223333_CloudTrail_eu-west-1_20240312T1115Z_Bc4dF6hJ8kL0nP2q.json.gz");

/** The events of a trail's gzip log file. */
export function trailRecords(file: string): Record<string, unknown>[] {
    return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8")).Records;
}

export { tempFolder, writeIn } from "../temp";

/** A usage error: one line naming the file and matching `problem`. */
export async function assertUsageError(fn: () => Promise<unknown>, file: string, problem: RegExp): Promise<void> {
    await assert.rejects(fn, (e: Error) => {
        assert.ok(e instanceof UsageError, String(e));
        assert.ok(e.message.startsWith(`${file}: `), e.message);
        assert.ok(!e.message.includes("\n"), e.message);
        assert.match(e.message, problem);
        return true;
    });
}
