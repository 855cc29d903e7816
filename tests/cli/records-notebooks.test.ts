/**
 * Notebook instances and Studio domains as AWS records (cli/inputs/cloudtrail.ts,
 * cli/inputs/lifecycle.ts, cli/inputs/message.ts). Fixtures: tests/fixtures/aws-records/notebooks.
 */
import { notebookNetworkAccess, studioVpcOnly } from "../rules";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadFile } from "../../cli/inputs";
import { RECORD_KINDS } from "../../cli/inputs/records";
import { latestSettings } from "../../cli/inputs/lifecycle";
import { typeRule } from "../../policies/catalogue/index";
import { NOTEBOOKS } from "./aws-records";
import { ROOT, run } from "./run";

/** The policies that judge records: the isolation rules, then the rules of notebook instances and Studio domains. */

describe("AWS records of notebooks and domains", () => {

describe("notebook instances and Studio domains as AWS records (issue 17)", function () {
    this.timeout(120000);
    const NB_LOOKUP = path.join(NOTEBOOKS, "lookup-events-us-east-1.json");
    const SECRET = "sk-live-4f9a2b7c1d0e";

    it("their kinds name the catalogue rule whose types include their type", () => {
        const policyOf = Object.fromEntries(RECORD_KINDS.map(k => [k.kind, k.policy]));
        assert.strictEqual(policyOf.NotebookInstance, notebookNetworkAccess.name);
        assert.strictEqual(policyOf.Domain, studioVpcOnly.name);
        for (const k of RECORD_KINDS.filter(x => x.workload === undefined)) {
            assert.strictEqual(typeRule(k.type)?.name, k.policy, k.kind);
        }
    });

    it("CloudTrail creates and updates: each resource judged once, on its latest known settings", async () => {
        const [s] = await loadFile(NB_LOOKUP);
        assert.strictEqual(s.resources.length, 6, "every call read: 2 + 1 notebook creates and updates, 1 + 2 domain calls");
        const [latest] = latestSettings([s]);
        const byName = new Map(latest.resources.map(r => [r.name, r]));
        assert.deepStrictEqual([...byName.keys()].sort(), ["fraud-analysis", "research-scratch", "studio-research"], "each by its AWS name: the domain by its create's");
        // The notebook's Update changed its instance type only: its create's network settings stand.
        assert.deepStrictEqual(byName.get("research-scratch")!.inputs, {
            notebookInstanceName: "research-scratch", instanceType: "ml.t3.xlarge", roleArn: "arn:aws:iam::111122223333:role/sagemaker-notebooks",
            directInternetAccess: "Enabled", volumeSizeInGB: 20,
        });
        // The domain's Update (named by DomainId) made it VpcOnly; the record keeps the create's name.
        const domain = byName.get("studio-research")!;
        assert.strictEqual(domain.type, "aws-native:sagemaker:Domain");
        assert.strictEqual(domain.inputs["appNetworkAccessType"], "VpcOnly");
        assert.strictEqual(domain.inputs["domainName"], "studio-research");
        const records = latest.records!.records;
        assert.deepStrictEqual(records.map(r => `${r.kind} ${r.name} ${r.update ?? "create"}`).sort(), [
            "Domain d-9ab3kd02mq7c partial",
            "Domain studio-research latest",
            "NotebookInstance fraud-analysis create",
            "NotebookInstance research-scratch latest",
        ]);
        // An Update of a domain created before the records: kept as a record, never judged on half its settings.
        const partial = records.find(r => r.update === "partial")!;
        assert.ok(!latest.resources.some(r => r.urn === partial.urn));
    });

    it("describe-notebook-instance and describe-domain: members in camelCase, SecurityGroups as aws-native's securityGroupIds", async () => {
        const described = (await Promise.all(["describe-notebook-instance.json", "describe-domain.json"].map(f => loadFile(path.join(NOTEBOOKS, f))))).flat();
        const nb = described[0].resources.find(r => r.name === "fraud-analysis")!;
        assert.strictEqual(nb.type, "aws-native:sagemaker:NotebookInstance");
        assert.deepStrictEqual([nb.inputs["directInternetAccess"], nb.inputs["subnetId"], nb.inputs["securityGroupIds"], nb.inputs["securityGroups"]],
            ["Disabled", "subnet-0123456789abcdef0", ["sg-0a1b2c3d4e5f60718"], undefined]);
        const domain = described[1].resources[0];
        assert.deepStrictEqual([domain.type, domain.name, domain.inputs["appNetworkAccessType"], domain.inputs["vpcId"]],
            ["aws-native:sagemaker:Domain", "studio-research", "VpcOnly", "vpc-0a1b2c3d4e5f60718"]);
    });

    it("the check command: notebooks and domains counted apart; a rejected call names its resource, never a request value", async () => {
        const [md, js] = await Promise.all([run(["--format", "markdown", path.relative(ROOT, NOTEBOOKS)]), run(["--format", "json", path.relative(ROOT, NOTEBOOKS)])]);
        assert.strictEqual(md.code, 0, md.stderr);
        assert.strictEqual(js.code, 0, js.stderr);
        const ev = JSON.parse(js.stdout).evidence;
        assert.deepStrictEqual(ev.cloudTrail.accounts.map((a: { summary: string }) => a.summary), [
            "Account 111122223333: 2 notebook instances and 1 Studio domain created between 2024-03-06T09:14:02Z and 2024-03-18T16:12:51Z in region us-east-1; " +
            "1 notebook instance or domain outside the rules, 1 not judged (listed below). 1 create call rejected by AWS created nothing (listed below).",
        ]);
        assert.deepStrictEqual(ev.cloudTrail.withoutIsolation.map((r: { name: string; update: string }) => [r.name, r.update]), [["research-scratch", "latest"]]);
        assert.deepStrictEqual(ev.cloudTrail.rejected.map((x: { name: string; message: string }) => [x.name, x.message]), [[
            "research-gpu",
            "… validation errors detected: Value '…' at '…' failed to satisfy constraint: Member must satisfy regular expression pattern: \"…\"; " +
            "SubnetId is required when DirectInternetAccess is `…` (notebook instance research-gpu)",
        ]]);
        assert.deepStrictEqual(ev.describe.accounts.map((a: { summary: string }) => a.summary), [
            "Account 111122223333: 2 notebook instances and 1 Studio domain in region us-east-1; 1 notebook instance or domain outside the rules (listed below).",
        ]);
        const section = md.stdout.slice(md.stdout.indexOf("\n## Evidence\n"));
        assert.match(section, /\| CreateNotebookInstance \| `research-gpu` \| `ValidationException` \| … validation errors detected: Value '…' at '…'/);
        assert.match(section, /\| notebook instance \(updated\) \| `research-scratch` \|.*\| `sagemaker-notebook-network-access` \|/);
        // The secret-looking request value, quoted in AWS's errorMessage, appears nowhere.
        assert.ok(fs.readFileSync(NB_LOOKUP, "utf8").includes(SECRET), "the fixture holds it");
        for (const out of [md.stdout, js.stdout, md.stderr, js.stderr]) {
            assert.ok(!out.includes(SECRET) && !out.includes("4f9a2b7c1d0e"), "no request value");
        }
    });
});
});
