/**
 * docs/check-command.md says what the command does with a configuration name it does not know:
 * each message it quotes is what the command prints, with exit status 2, and it does not say such
 * a name is ignored.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, run } from "../cli/run";
import { tempFolder } from "../temp";

const doc = () => fs.readFileSync(path.join(ROOT, "docs", "check-command.md"), "utf8");
const words = (s: string) => s.replace(/\s+/g, " ");

describe("docs/check-command.md: unknown configuration names", function () {
    this.timeout(120000);
    const { dir } = tempFolder("sni-docs-config-");

    const cases: [string, unknown, string][] = [
        ["a policy", { "sagemaker-vpc-endpoint": "advisory" }, 'unknown policy "sagemaker-vpc-endpoint" (did you mean "sagemaker-vpc-endpoints"?)'],
        ["a setting", { "sagemaker-vpc-endpoints": { requiredService: ["s3"] } }, 'sagemaker-vpc-endpoints: unknown setting "requiredService" (did you mean "requiredServices"?)'],
        ["a key of an entry", { "sagemaker-model-network-isolation": { exemptions: [{ resource: "x", reason: "y", expire: "2027-01-01" }] } },
            'exemptions[0] has an unknown property "expire" (did you mean "expires"?)'],
    ];
    for (const [what, config, message] of cases) {
        it(`quotes the command's error for ${what}, which exits 2`, async () => {
            assert.ok(words(doc()).includes(`(\`${message}\`)`), `docs/check-command.md quotes: ${message}`);
            const file = path.join(dir(), "config.json");
            fs.writeFileSync(file, JSON.stringify(config));
            const r = await run(["--config", file, "examples/isolated-model/stack-export.json"]);
            assert.strictEqual(r.code, 2, r.stderr);
            assert.ok(r.stderr.includes(message), r.stderr);
        });
    }

    it("does not say an unknown setting is ignored by the command", () => {
        assert.doesNotMatch(words(doc()), /declares is ignored|ignored, as Pulumi does/);
    });
});
