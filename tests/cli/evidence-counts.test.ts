/**
 * The evidence's counts (cli/inputs/cloudtrail.ts, cli/inputs/records.ts, cli/reports/evidence.ts):
 * every create call counted, whatever its eventType; one eventID counted once, within a file and
 * over all inputs, in every section and the summary. Fixtures are copied from
 * tests/fixtures/aws-records/ into a temporary folder and changed there.
 */
import * as assert from "assert";
import { loadFile } from "../../cli/inputs";
import { eachEventOnce } from "../../cli/inputs/merge";
import { buildEvidence } from "../../cli/reports/evidence";
import { policies } from "../../policies/catalogue/index";
import { TRAIL, trailRecords, USE1_FILE } from "./aws-records";
import { run } from "./run";
import { tempFolder } from "../temp";

const ALL = new Set(policies.map(p => p.name));

type Event = Record<string, unknown>;

/** The fixture's CreateModel call, with `changes` to it and its requestParameters. */
function createModel(changes: Event, params: Event = {}): Event {
    const ev = trailRecords(USE1_FILE).find(e => e["eventName"] === "CreateModel")!;
    return { ...ev, ...changes, requestParameters: { ...(ev["requestParameters"] as Event), ...params } };
}

describe("evidence counts (cli/inputs/cloudtrail.ts, cli/inputs/records.ts)", function () {
    this.timeout(120000);
    const { write } = tempFolder("evidence-counts-");

    it("a CreateModel with eventType null or missing, isolation off, is a created model without isolation", async () => {
        const off = { enableNetworkIsolation: false };
        const f = write("null-event-type.json", {
            Records: [createModel({ eventType: null }, off), createModel({ eventType: undefined, eventID: "missing-type-1" }, { ...off, modelName: "m2" })],
        });
        const [s] = await loadFile(f);
        assert.strictEqual(s.resources.length, 2);
        const r = await run(["--format", "json", f]);
        assert.ok(r.code === 0 || r.code === 1, r.stderr);
        const ev = JSON.parse(r.stdout).evidence.cloudTrail;
        assert.deepStrictEqual([ev.accounts[0].models, ev.accounts[0].withoutIsolation], [2, 2]);
        assert.match(ev.accounts[0].summary, /2 models and 0 jobs created .*; 2 without network isolation/);
    });

    it("one eventID twice in a file: identical → counted once, silently; different → the first, with one warning naming the eventID", async () => {
        const first = createModel({}, { enableNetworkIsolation: true });
        const same = await loadFile(write("same.json", { Records: [first, first] }));
        assert.deepStrictEqual([same[0].resources.length, same[0].warnings], [1, undefined]);
        const other = createModel({}, { enableNetworkIsolation: false, modelName: "secret-model-name" });
        const f = write("different.json", { Records: [first, other, other] });
        const [s] = await loadFile(f);
        assert.strictEqual(s.resources.length, 1);
        assert.strictEqual(s.resources[0].inputs["enableNetworkIsolation"], true, "the first is kept");
        const r = await run(["--format", "json", f]);
        assert.strictEqual(r.code, 0, r.stderr);
        const warnings = r.stderr.split("\n").filter(l => l.includes("warning:"));
        assert.strictEqual(warnings.length, 1, r.stderr);
        assert.match(warnings[0], /different\.json: 1 CloudTrail event\(s\) with an eventID read before but different contents \(3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43\); only the first of each is evaluated$/);
        assert.ok(!r.stderr.includes("secret-model-name"));
        assert.strictEqual(JSON.parse(r.stdout).evidence.cloudTrail.accounts[0].models, 1);
    });

    it("the same trail as a folder and as lookup-events output: evaluated once, every total (summary included) as for the folder alone", async () => {
        const events = (file: string) => trailRecords(file).map(e => ({ EventId: e["eventID"], CloudTrailEvent: JSON.stringify(e) }));
        const lookup = write("lookup.json", { Events: events(USE1_FILE) });
        const stacks = eachEventOnce([...await loadFile(TRAIL), ...await loadFile(lookup)]);
        assert.deepStrictEqual(stacks.map(s => s.resources.length), [4, 4, 0]);
        assert.deepStrictEqual(buildEvidence(stacks.map(s => s.records!), { enabled: ALL, byUrn: new Map() }),
            buildEvidence((await loadFile(TRAIL)).map(s => s.records!), { enabled: ALL, byUrn: new Map() }));
        const [alone, both] = await Promise.all([run(["--format", "json", TRAIL]), run(["--format", "json", TRAIL, lookup])]);
        const [a, b] = [JSON.parse(alone.stdout), JSON.parse(both.stdout)];
        assert.deepStrictEqual(b.summary, a.summary);
        assert.deepStrictEqual(b.evidence, a.evidence);
        assert.strictEqual(both.stderr, alone.stderr, "no warning but the trail's days without a log file");
    });

    it("the same event with other contents in a later input: the first input's, and a warning on the later one", async () => {
        const lookup = write("lookup-changed.json", {
            Events: [{ CloudTrailEvent: JSON.stringify(createModel({}, { enableNetworkIsolation: false })) }],
        });
        const stacks = eachEventOnce([...await loadFile(TRAIL), ...await loadFile(lookup)]);
        assert.deepStrictEqual(stacks.map(s => s.resources.length), [4, 4, 0]);
        assert.deepStrictEqual(stacks.map(s => s.warnings?.length ?? 0), [0, 0, 1]);
        assert.match(stacks[2].warnings![0], /lookup-changed\.json: 1 CloudTrail event\(s\) .*\(3b6f1c2e-8d4a-4e1b-9f7a-2c5d8e0a1b43\)/);
    });
});
