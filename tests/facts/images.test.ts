/** The managed-image facts: derived from the SDK's registry data, and the table in docs/policies.md says the same. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import data from "../../policies/facts/data/managed-images.json";
import { FAMILIES, FRAMEWORKS, managedImage } from "../../policies/facts/images";

const ROOT = path.resolve(__dirname, "..", "..");
const REGISTRY = path.resolve(ROOT, "..", "shared", "reference", "sagemaker-images", "sdk-v2");
type Families = Record<string, { name: string; alwaysFails: boolean; files: string[]; repositories: Record<string, Record<string, string>> }>;
const families = data.families as Families;

describe("managed framework images (policies/facts/data/managed-images.json)", () => {
    it("is what scripts/derive-images.js derives from the SDK's image registry", function () {
        if (!fs.existsSync(REGISTRY)) {
            this.skip(); // the reference data is not part of the package
        }
        const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "derive-images.js"), REGISTRY, "--check"], { encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
    });

    it("the table in docs/policies.md lists each family, its repositories and its source files", () => {
        const reference = fs.readFileSync(path.join(ROOT, "docs", "policies.md"), "utf8");
        const rows = reference.split("\n").filter(l => /^\| `[a-z-]+` \| .* \| (always|code from S3) \|/.test(l))
            .map(l => l.split("|").slice(1, -1).map(c => c.trim()));
        assert.deepStrictEqual(rows, Object.entries(families).map(([id, f]) => [
            `\`${id}\``, f.name, f.alwaysFails ? "always" : "code from S3", Object.keys(f.repositories).join(", "), f.files.join(", "),
        ]));
        assert.deepStrictEqual(FRAMEWORKS, Object.keys(families));
    });

    it("Chainer and RL always fail; every family is recognised by repository and account", () => {
        assert.deepStrictEqual(FRAMEWORKS.filter(f => FAMILIES.get(f)?.alwaysFails), ["chainer", "rl"]);
        for (const [id, f] of Object.entries(families)) {
            for (const [repo, regions] of Object.entries(f.repositories)) {
                for (const [region, account] of Object.entries(regions)) {
                    const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
                    if (region.startsWith("us-is") || region.startsWith("eu-isoe")) {
                        continue; // other domains, covered by the fixtures
                    }
                    assert.deepStrictEqual(managedImage(`${account}.dkr.ecr.${region}.${domain}/${repo}:1`),
                        { framework: id, repository: repo, account, region }, `${repo} in ${region}`);
                }
            }
        }
        // The built-in XGBoost algorithm is no framework container; a customer's copy of a repository is not AWS's.
        assert.strictEqual(managedImage("811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:1"), undefined);
        assert.strictEqual(managedImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1"), undefined);
    });
});
