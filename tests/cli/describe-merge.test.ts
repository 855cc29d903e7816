/**
 * `aws sagemaker describe-*` outputs of one account and region, given as several files (the
 * collection loop in docs/audit.md writes six per region), make one pseudo-stack
 * (cli/inputs/records.ts acrossInputs): one score and one evidence table per region, the files
 * listed as its sources.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadFile } from "../../cli/inputs";
import { jsonFiles } from "../../cli/inputs/files";
import { parseJson } from "../../cli/inputs/stream";
import { acrossInputs } from "../../cli/inputs/merge";
import { FIXTURES } from "./aws-records";
import { run } from "./run";
import { JsonStack, scoresOf, totalOf } from "./check-results";
import { tempFolder } from "../temp";

const DESCRIBE = path.join(FIXTURES, "describe");

/** The file docs/audit.md's loop writes a describe output to, by the ARN member only that output has. */
const LOOP_FILES: [string, string][] = [
    ["ModelArn", "models"], ["TrainingJobArn", "training"], ["HyperParameterTuningJobArn", "tuning"],
    ["ProcessingJobArn", "processing"], ["JobDefinitionArn", "job-definitions"], ["MonitoringScheduleArn", "schedules"],
];

/**
 * The fixtures' describe outputs written as docs/audit.md's loop writes them: `KIND-REGION.json`,
 * each the concatenated (pretty-printed) outputs of that kind and region. The loop leaves an
 * empty file for a kind a region has none of; the command refuses an empty file (not JSON), so
 * those are not written here.
 */
function loopLayout(dir: string): Map<string, string[]> {
    const byFile = new Map<string, string[]>();
    const regions = new Set<string>();
    for (const file of jsonFiles(DESCRIBE)) {
        const values = parseJson(fs.readFileSync(file));
        for (const v of values.length === 1 && Array.isArray(values[0]) ? values[0] as unknown[] : values) {
            const doc = v as Record<string, unknown>;
            const [arnKey, kind] = LOOP_FILES.find(([k]) => typeof doc[k] === "string")!;
            const region = (doc[arnKey] as string).split(":")[3];
            regions.add(region);
            const name = `${kind}-${region}.json`;
            byFile.set(name, [...byFile.get(name) ?? [], JSON.stringify(doc, null, 4)]);
        }
    }
    const files = new Map<string, string[]>();
    for (const region of regions) {
        files.set(region, LOOP_FILES.map(([, kind]) => {
            const f = path.join(dir, `${kind}-${region}.json`);
            fs.writeFileSync(f, (byFile.get(path.basename(f)) ?? []).map(x => x + "\n").join(""));
            return f;
        }).filter(f => fs.statSync(f).size > 0));
    }
    return files;
}

describe("describe-* outputs of one account and region in several files (cli/inputs/records.ts)", function () {
    this.timeout(120000);
    const { dir } = tempFolder("describe-merge-");
    let layout: Map<string, string[]>;
    before(() => {
        layout = loopLayout(dir());
    });

    it("make one stack per account and region, listing its files, with the resources of the folder of them all", async () => {
        const files = [...layout.values()].flat();
        assert.deepStrictEqual([...layout.entries()].map(([region, fs]) => [region, fs.map(f => path.basename(f))]), [
            ["us-east-1", ["models-us-east-1.json", "training-us-east-1.json", "tuning-us-east-1.json", "job-definitions-us-east-1.json", "schedules-us-east-1.json"]],
            ["eu-west-1", ["models-eu-west-1.json", "processing-eu-west-1.json"]],
        ]);
        const loadAll = async (fs: string[]) => (await Promise.all(fs.map(f => loadFile(f)))).flat();
        const stacks = acrossInputs(await loadAll(files));
        const folder = acrossInputs(await loadFile(DESCRIBE));
        assert.deepStrictEqual(stacks.map(s => s.stack), ["111122223333-us-east-1", "111122223333-eu-west-1"], "in the order of their first files");
        assert.deepStrictEqual(stacks.map(s => s.stack).sort(), folder.map(s => s.stack).sort());
        for (const s of stacks) {
            const region = s.stack.slice("111122223333-".length);
            assert.deepStrictEqual(s.sources, layout.get(region));
            assert.strictEqual(s.file, layout.get(region)![0]);
            const same = folder.find(f => f.stack === s.stack)!;
            assert.deepStrictEqual(s.resources.map(r => r.urn).sort(), same.resources.map(r => r.urn).sort());
            assert.deepStrictEqual(s.records!.records.map(r => r.urn).sort(), same.records!.records.map(r => r.urn).sort());
            // Each resource keeps the file it was read from (SARIF places results on it).
            for (const r of s.resources) {
                assert.ok(layout.get(region)!.includes(r.file!), r.urn);
            }
        }
        // The same file twice counts once; a Pulumi stack between them stays where it is.
        const one = layout.get("us-east-1")![0];
        const withExport = acrossInputs(await loadAll([one, path.join(FIXTURES, "..", "python-program", "stack-export.json"), one]));
        assert.deepStrictEqual(withExport.map(s => [s.stack, s.sources]), [["111122223333-us-east-1", undefined], ["dev", undefined]]);
    });

    it("the check command: one score per region, the files in every format, the same figures as the folder", async () => {
        const files = [...layout.values()].flat();
        const [split, folder, text] = await Promise.all([run(["--format", "json", ...files]), run(["--format", "json", DESCRIBE]), run(files)]);
        assert.strictEqual(split.stderr + folder.stderr, "");
        const a = JSON.parse(split.stdout);
        const b = JSON.parse(folder.stdout);
        assert.deepStrictEqual(a.stacks.map((s: { stack: string }) => s.stack), ["111122223333-us-east-1", "111122223333-eu-west-1"]);
        assert.deepStrictEqual(a.stacks[0].files, layout.get("us-east-1"));
        assert.deepStrictEqual(a.summary, b.summary);
        assert.deepStrictEqual(a.evidence, b.evidence);
        // Two stacks: the scores are per region (of each region's results), not per file.
        const stacks = a.stacks as JsonStack[];
        assert.deepStrictEqual(stacks.map(s => s.scores), stacks.map(s => scoresOf(s.results)));
        assert.deepStrictEqual(a.summary.scores, totalOf(stacks.map(s => s.scores)));
        const byStack = (doc: { stacks: { stack: string; scores: unknown }[] }) => Object.fromEntries(doc.stacks.map(s => [s.stack, s.scores]));
        assert.deepStrictEqual(byStack(a), byStack(b));
        assert.strictEqual(text.stdout.match(/^Stack 111122223333-us-east-1 /gm)?.length, 1, "one us-east-1 stack");
        assert.ok(text.stdout.includes(`Stack 111122223333-us-east-1 (project sagemaker-describe) - ${layout.get("us-east-1")!.join(", ")}\n`));
    });
});
