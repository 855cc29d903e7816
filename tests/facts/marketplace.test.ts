/** The Marketplace seller-account table: docs/policies.md shows the same table as the code. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { MARKETPLACE_ACCOUNTS_BY_REGION, marketplaceListing, parseArn } from "../../policies/facts/marketplace";

describe("Marketplace seller accounts (policies/facts/marketplace.ts)", () => {
    it("the table in docs/policies.md lists the same region to account map", () => {
        const reference = fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "policies.md"), "utf8");
        const pairs: [string, string][] = [];
        for (const line of reference.split("\n")) {
            const cells = line.split("|").slice(1, -1).map(c => c.trim());
            if (cells.length === 4 && cells.every((c, i) => i % 2 === 1 ? /^\d{12}$/.test(c) : /^[a-z]{2}-[a-z]+-\d$/.test(c))) {
                pairs.push([cells[0], cells[1]], [cells[2], cells[3]]);
            }
        }
        assert.deepStrictEqual(Object.fromEntries(pairs.sort()), Object.fromEntries(Object.entries(MARKETPLACE_ACCOUNTS_BY_REGION).sort()));
    });

    it("decides yes, no, or cannot tell by account and region", () => {
        const none = { marketplaceAccountIds: new Set(Object.values(MARKETPLACE_ACCOUNTS_BY_REGION)), ownAccountIds: new Set<string>() };
        const arn = (s: string) => parseArn(s)!;
        assert.strictEqual(marketplaceListing(arn("arn:aws:sagemaker:us-east-1:865070037744:algorithm/a"), none), "yes");
        assert.strictEqual(marketplaceListing(arn("arn:aws:sagemaker:us-east-1:123456789012:algorithm/a"), none), "no");
        assert.strictEqual(marketplaceListing(arn("arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:model-package/p/1"), none), "cannot-tell");
        assert.strictEqual(marketplaceListing(arn("arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:model-package/p/1"),
            { ...none, ownAccountIds: new Set(["123456789012"]) }), "no");
        assert.strictEqual(marketplaceListing(arn("arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:model-package/p/1"),
            { ...none, ownAccountIds: new Set(["111122223333"]) }), "yes");
    });
});
