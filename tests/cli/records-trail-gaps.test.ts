/**
 * Gaps in a trail's coverage per Region (issue 23, case 8): a day between the first and the last
 * log file of a Region with no file of it is said in the Evidence (Markdown and JSON) and on
 * stderr; lookup-events output has no files, so its period is the events' span.
 */
import * as assert from "assert";
import * as path from "path";
import * as zlib from "zlib";
import { daysWithoutLogFile, LISTED_DAYS, logFileDay } from "../../cli/inputs/trail-days";
import { tempFolder, writeIn } from "./aws-records";
import { run } from "./run";

const ACCOUNT = "111122223333";

let eventNo = 0;
/** A non-SageMaker event (it only extends the period) of `region` at `time`. */
function event(region: string, time: string): Record<string, unknown> {
    return {
        eventVersion: "1.09", eventSource: "sts.amazonaws.com", eventName: "AssumeRole", awsRegion: region, eventTime: time, recipientAccountId: ACCOUNT,
        eventID: `00000000-0000-4000-8000-${String(++eventNo).padStart(12, "0")}`, eventType: "AwsApiCall", userIdentity: { accountId: ACCOUNT },
    };
}

/** A trail's log file of `region` on `day` (YYYY-MM-DD), under `dir` as CloudTrail lays it out in S3; returns its path. */
function logFile(dir: string, region: string, day: string): string {
    const [y, m, d] = day.split("-");
    const name = `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${y}/${m}/${d}/${ACCOUNT}_CloudTrail_${region}_${y}${m}${d}T1205Z_Ab3dE5gH7jK9mN1p.json.gz`;
    return writeIn(dir, name, zlib.gzipSync(JSON.stringify({ Records: [event(region, `${day}T12:01:07Z`)] })));
}

describe("gaps in a trail's coverage per Region (issue 23, case 8)", function () {
    this.timeout(120000);
    const { dir } = tempFolder("records-trail-gaps-");

    it("a log file's name gives its account, Region and day; other names give none", () => {
        assert.deepStrictEqual(logFileDay(`/x/${ACCOUNT}_CloudTrail_us-east-1_20240307T2355Z_Ab3dE5gH7jK9mN1p.json.gz`),
            { account: ACCOUNT, region: "us-east-1", day: "2024-03-07" });
        for (const name of [`${ACCOUNT}_CloudTrail_us-east-1_20240231T2355Z_x.json.gz`, `${ACCOUNT}_CloudTrail-Digest_us-east-1_20240307T2355Z_x.json.gz`,
            `${ACCOUNT}_CloudTrail_us-east-1_20240307T2355Z_x.txt`, "events.json", `1111_CloudTrail_us-east-1_20240307T2355Z_x.json`]) {
            assert.strictEqual(logFileDay(name), undefined, name);
        }
        assert.deepStrictEqual(daysWithoutLogFile(["2024-02-27", "2024-03-01", "2024-02-27"]), { count: 2, listed: ["2024-02-28", "2024-02-29"] });
        const wide = daysWithoutLogFile(["2023-01-01", "2024-01-01"]);
        assert.deepStrictEqual([wide.count, wide.listed.length, wide.listed[0]], [364, LISTED_DAYS, "2023-01-02"]);
    });

    it("a trail folder missing days: the Evidence and stderr name them per Region, capped; JSON says them; another input filling them clears them", async () => {
        const trail = path.join(dir(), "trail");
        ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-09"].forEach(d => logFile(trail, "us-east-1", d));
        ["2024-01-01", "2024-03-01"].forEach(d => logFile(trail, "eu-west-1", d));
        ["2024-03-04", "2024-03-05"].forEach(d => logFile(trail, "ap-south-1", d));
        const [md, js] = await Promise.all([run(["--format", "markdown", trail]), run(["--format", "json", trail])]);
        assert.strictEqual(md.code, 0, md.stderr);
        const evidence = md.stdout.slice(md.stdout.indexOf("## Evidence"));
        const leftOut = evidence.slice(evidence.indexOf("### What the records leave out"), evidence.indexOf("### Created during"));
        assert.match(leftOut, /- us-east-1 \(111122223333\): no log file for 2024-03-07, 2024-03-08 between 2024-03-04 and 2024-03-09/);
        const listed = Array.from({ length: LISTED_DAYS }, (_, i) => `2024-01-${String(i + 2).padStart(2, "0")}`).join(", ");
        assert.ok(leftOut.includes(`- eu-west-1 (111122223333): no log file for ${listed}, and ${59 - LISTED_DAYS} more days between 2024-01-01 and 2024-03-01`), leftOut);
        assert.ok(!leftOut.includes("ap-south-1"), "a Region with a file every day has no gap");
        const warnings = md.stderr.split("\n").filter(l => l.includes("warning:") && l.includes("no log file for"));
        assert.deepStrictEqual(warnings.map(w => w.slice(w.indexOf(": warning: ") + 11, w.indexOf(" ("))), [`${trail}: eu-west-1`, `${trail}: us-east-1`], md.stderr);

        const ct = JSON.parse(js.stdout).evidence.cloudTrail;
        const byRegion = new Map<string, Record<string, unknown>>(ct.regions.map((r: { region: string }) => [r.region, r]));
        assert.deepStrictEqual(byRegion.get("us-east-1")!.logFiles, { days: 4, first: "2024-03-04", last: "2024-03-09", daysWithoutLogFile: 2, listed: ["2024-03-07", "2024-03-08"] });
        assert.deepStrictEqual((byRegion.get("eu-west-1")!.logFiles as { daysWithoutLogFile: number }).daysWithoutLogFile, 59);
        assert.deepStrictEqual(byRegion.get("ap-south-1")!.logFiles, { days: 2, first: "2024-03-04", last: "2024-03-05", daysWithoutLogFile: 0, listed: [] });
        assert.ok([...byRegion.values()].every(r => r.basis === "log files"));
        assert.ok(JSON.parse(js.stdout).evidence.incomplete.some((l: string) => l.startsWith("us-east-1 (111122223333): no log file for 2024-03-07, 2024-03-08 ")));

        // The missing days given as another input: no gap left in us-east-1.
        const rest = path.join(dir(), "rest");
        ["2024-03-07", "2024-03-08"].forEach(d => logFile(rest, "us-east-1", d));
        const both = await run(["--format", "markdown", trail, rest]);
        assert.strictEqual(both.code, 0, both.stderr);
        assert.ok(!both.stdout.includes("us-east-1 (111122223333): no log file"), both.stdout);
        assert.ok(!both.stderr.includes("us-east-1 (111122223333): no log file"), both.stderr);
        assert.match(both.stdout, /eu-west-1 \(111122223333\): no log file for 2024-01-02/);
    });

    it("lookup-events output has no files: its period is the events' span", async () => {
        const lookup = writeIn(dir(), "lookup.json", { Events: [{ CloudTrailEvent: JSON.stringify(event("us-west-2", "2024-03-04T10:00:00Z")) },
            { CloudTrailEvent: JSON.stringify(event("us-west-2", "2024-03-09T10:00:00Z")) }] });
        const [md, js] = await Promise.all([run(["--format", "markdown", lookup]), run(["--format", "json", lookup])]);
        assert.strictEqual(md.code, 0, md.stderr);
        assert.ok(!md.stdout.includes("no log file for"), md.stdout);
        assert.match(md.stdout, /No trail log file was read for us-west-2 \(`111122223333`\): the period there is the events' span/);
        const [region] = JSON.parse(js.stdout).evidence.cloudTrail.regions;
        assert.deepStrictEqual([region.basis, region.logFiles, region.first, region.last], ["events", undefined, "2024-03-04T10:00:00Z", "2024-03-09T10:00:00Z"]);
    });
});
