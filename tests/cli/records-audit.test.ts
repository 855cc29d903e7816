/**
 * The audit report an auditor relies on (issue 23, cases 4, 5, 6, 8): incomplete outputs said,
 * creates counted as creates, no request value in any report, a report that fails when asked.
 */
import * as assert from "assert";
import * as path from "path";
import { loadFile } from "../../cli/inputs";
import { messageTemplate } from "../../cli/inputs/message";
import { NOTEBOOKS, tempFolder } from "./aws-records";
import { ROOT, run } from "./run";

const ACCOUNT = "111122223333";

function configItem(name: string, time: string, isolation: boolean): Record<string, unknown> {
    return {
        configurationItemCaptureTime: time, awsAccountId: ACCOUNT, configurationItemStatus: "OK", resourceType: "AWS::SageMaker::Model",
        resourceId: name, resourceName: name, awsRegion: "us-east-1", configuration: { ModelName: name, EnableNetworkIsolation: isolation },
    };
}

let eventNo = 0;
/** A SageMaker call of a notebook instance. */
function call(eventName: string, time: string, params: Record<string, unknown>): Record<string, unknown> {
    return {
        eventVersion: "1.08", eventSource: "sagemaker.amazonaws.com", eventName, awsRegion: "us-east-1", eventTime: time, recipientAccountId: ACCOUNT,
        eventID: `00000000-0000-4000-8000-${String(++eventNo).padStart(12, "0")}`, userIdentity: { arn: `arn:aws:iam::${ACCOUNT}:user/u` }, requestParameters: params,
    };
}

const OPEN = { notebookInstanceName: "nb", instanceType: "ml.t3.medium", roleArn: `arn:aws:iam::${ACCOUNT}:role/r`, directInternetAccess: "Enabled" };
const CLOSED = { ...OPEN, directInternetAccess: "Disabled", subnetId: "subnet-0123456789abcdef0", securityGroupIds: ["sg-0123456789abcdef0"] };

describe("the audit report (issue 23)", function () {
    this.timeout(120000);
    const { write: writeTmp } = tempFolder("records-audit-");

    it("case 4: a first page, unprocessed keys: a warning and a line of the Evidence; an empty result named by its kind; a select without the status", async () => {
        const page = writeTmp("page.json", { configurationItems: [configItem("ranker", "2026-11-30T03:58:12Z", true)], nextToken: "opaque-token" });
        const batch = writeTmp("batch.json", { baseConfigurationItems: [], unprocessedResourceKeys: [{ resourceType: "AWS::SageMaker::Model", resourceId: "x" }] });
        const select = writeTmp("select.json", { Results: [JSON.stringify({ ...configItem("scorer", "2026-11-30T03:58:12Z", false), configurationItemStatus: undefined })], QueryInfo: {}, NextToken: "t" });
        const r = await run(["--format", "markdown", page, batch, select]);
        assert.strictEqual(r.code, 0, r.stderr);
        const warnings = r.stderr.split("\n").filter(l => l.includes("warning:"));
        assert.strictEqual(warnings.filter(w => /first page/.test(w)).length, 2, r.stderr);
        assert.strictEqual(warnings.filter(w => /1 resource key\(s\) AWS Config left unprocessed/.test(w)).length, 1, r.stderr);
        assert.ok(!r.stderr.includes("opaque-token"));
        const evidence = r.stdout.slice(r.stdout.indexOf("## Evidence"));
        assert.match(evidence, /### What the records leave out/);
        assert.match(evidence, /page\.json: this output is a first page \(it has a nextToken\)/);
        assert.match(evidence, /\| `111122223333` \| us-east-1 \| [^|]+ \| 2 \| 0 \| 0 \| 0 \| 1 \|/, "the select's item read as a current one: 2 models, 1 without isolation");
        // An empty Config result is said to be one, not "CloudTrail records".
        const empty = writeTmp("empty.json", { configurationItems: [] });
        const [s] = await loadFile(empty);
        assert.deepStrictEqual([s.source, s.stack], ["config", "no-items"]);
        const e = await run(["--format", "markdown", empty]);
        assert.match(e.stdout, /The AWS Config records hold no configuration item\./);
        assert.ok(!e.stdout.includes("CloudTrail"), "no word of CloudTrail");
    });

    it("case 5: only creates are created; a delete ends a resource and a re-create starts another; same-second calls in a fixed order", async () => {
        const domains = await run(["--format", "json", path.relative(ROOT, NOTEBOOKS)]);
        const ev = JSON.parse(domains.stdout).evidence;
        assert.strictEqual(ev.cloudTrail.accounts[0].domains, 1, "one CreateDomain: one domain created; the update of an older domain is not judged");
        assert.ok(ev.cloudTrail.notJudged.some((x: { update?: string }) => x.update === "partial"));
        // Update (of an older instance) → Delete → a compliant re-Create: the new instance is judged on its own settings.
        const trail = writeTmp("lifecycle/trail.json", {
            Records: [
                call("UpdateNotebookInstance", "2026-11-01T10:00:00Z", { notebookInstanceName: "nb", instanceType: "ml.t3.large" }),
                call("DeleteNotebookInstance", "2026-11-02T10:00:00Z", { notebookInstanceName: "nb" }),
                call("CreateNotebookInstance", "2026-11-03T10:00:00Z", CLOSED),
            ],
        });
        const life = JSON.parse((await run(["--format", "json", trail])).stdout).evidence.cloudTrail;
        assert.deepStrictEqual([life.accounts[0].notebooks, life.accounts[0].outsideRules, life.notJudged.length], [1, 0, 1]);
        // A Create and an Update in the same second, in either order in the file: the update applies.
        for (const order of [[0, 1], [1, 0]]) {
            const calls = [call("CreateNotebookInstance", "2026-11-04T10:00:00Z", CLOSED), call("UpdateNotebookInstance", "2026-11-04T10:00:00Z", { notebookInstanceName: "nb", directInternetAccess: "Enabled" })];
            const f = writeTmp(`same-second-${order.join("")}.json`, { Records: order.map(i => calls[i]) });
            const out = JSON.parse((await run(["--format", "json", f])).stdout).evidence.cloudTrail;
            assert.deepStrictEqual([out.accounts[0].notebooks, out.accounts[0].outsideRules], [1, 1], `order ${order.join(",")}`);
        }
    });

    it("case 6: a message template hides every value-like token, capped at 300 characters, in linear time", () => {
        const cases: [string, string][] = [
            ["Value 'abc' at 'kmsKeyId' failed: \"x\" and `y`.", "Value '…' at '…' failed: \"…\" and `…`."],
            ["Model doesn't exist: 'it's-mine'", "Model doesn't exist: '…'"],
            ["curly \u201csecret value\u201d and \u2018other secret\u2019 here", "curly \u201c…\u201d and \u2018…\u2019 here"],
            ["bad x'value' here", "bad …'…' here"],
            ["name 'first' tail' end", "name '…' …'…"],
            ["Could not find model data at s3://bucket/private/model.tar.gz.", "Could not find model data at …."],
            ["Role arn:aws:iam::123456789012:role/x and /etc/passwd are bad", "Role … and … are bad"],
            ["see ![x](http://evil.example/a.png) <img src=x>", "see …) … …"],
        ];
        for (const [message, template] of cases) {
            assert.strictEqual(messageTemplate(message), template, message);
        }
        const big = "word ".repeat(40000) + "'secret'";
        const started = Date.now();
        const t = messageTemplate(big);
        assert.ok(t.length <= 300 && !t.includes("secret"), t);
        assert.ok(messageTemplate("'".repeat(200000)).length <= 300);
        assert.ok(Date.now() - started < 1000, "linear");
    });

    it("case 6: Markdown escapes every field: no link, image or HTML renders from a record", async () => {
        const f = writeTmp("hostile/trail.json", {
            Records: [{ ...call("CreateNotebookInstance", "2026-11-05T10:00:00Z", { ...OPEN, notebookInstanceName: "nb" }), errorCode: "Bad![x](http://e/)<b>", errorMessage: "![x](http://e.example/i.png) <img src=x> [l](http://e)" }],
        });
        const r = await run(["--format", "markdown", f]);
        const evidence = r.stdout.slice(r.stdout.indexOf("## Evidence"));
        assert.ok(!/!\[x\]\(http/.test(evidence) && !/<img|<b>/.test(evidence) && !/\[l\]\(http/.test(evidence), evidence);
        // A Region that is not one, in a SageMaker call: exit 2 naming the member.
        const bad = writeTmp("hostile/region.json", { Records: [{ ...call("CreateNotebookInstance", "2026-11-05T10:00:00Z", OPEN), awsRegion: "us-east-1 <img src=x>" }] });
        const b = await run(["--format", "markdown", bad]);
        assert.strictEqual(b.code, 2);
        assert.match(b.stderr, /has no valid awsRegion/);
    });

    it("case 8: --fail-on advisory exits 1 on advisory findings; the report opens with the Evidence and its verdict columns say what they mean", async () => {
        const f = writeTmp("fail-on/config.json", { configurationItems: [configItem("ranker", "2026-11-30T03:58:12Z", false)] });
        const [plain, audit] = await Promise.all([run(["--format", "markdown", f]), run(["--format", "markdown", "--fail-on", "advisory", f])]);
        assert.strictEqual(plain.code, 0, "advisory findings do not fail by default");
        assert.strictEqual(audit.code, 1, audit.stderr);
        assert.match(audit.stdout, /\*\*Result:\*\* FAILED \(findings at advisory level or above/);
        assert.ok(audit.stdout.indexOf("## Evidence") < audit.stdout.indexOf("## Policies"), "the Evidence first");
        // Every format says what the exit status says.
        const [text, json] = await Promise.all([run(["--fail-on", "advisory", f]), run(["--format", "json", "--fail-on", "advisory", f])]);
        assert.deepStrictEqual([text.code, json.code], [1, 1]);
        assert.match(text.stdout, /FAILED: findings at advisory level or above \(--fail-on advisory\)\.\n$/);
        assert.deepStrictEqual([JSON.parse(json.stdout).summary.failed, JSON.parse(json.stdout).summary.failOn], [true, "advisory"]);
        assert.match((await run([f])).stdout, /Passed: no mandatory policy violations\.\n$/);
        const usage = await run(["--fail-on", "sometimes", f]);
        assert.strictEqual(usage.code, 2);
        const described = await run(["--format", "markdown", path.relative(ROOT, path.join(NOTEBOOKS, "describe-notebook-instance.json"))]);
        assert.match(described.stdout, /\| notebook instance \| `[^`]+` \| [^|]+ \| (internet access within the rules|\*\*internet access outside the rules\*\*) \|/);
    });
});
