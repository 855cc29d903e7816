/**
 * The documentation holds together: every relative link of the README, docs/*.md and the other
 * READMEs names a file of the repository and, with a #fragment, an anchor that file has (GitHub's
 * heading slugs); and the README stays short enough to read (the details live in docs/).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { anchors, brokenLink, documentationFiles, relativeLinks, ROOT, slug } from "./docs/markdown";

const README_MAX_LINES = 400;

describe("documentation links", () => {
    it("computes GitHub's anchors for headings", () => {
        assert.strictEqual(slug("The check command: `sagemaker-isolation-check`"), "the-check-command-sagemaker-isolation-check");
        assert.strictEqual(slug("Audit evidence from AWS's own records"), "audit-evidence-from-awss-own-records");
        assert.strictEqual(slug("What a finding looks like in `pulumi preview`"), "what-a-finding-looks-like-in-pulumi-preview");
        assert.strictEqual(slug("Inputs, options and reports"), "inputs-options-and-reports");
        assert.deepStrictEqual([...anchors("# A\n\n## A\n\n```\n# not a heading\n```\n| <a id=\"x\"></a>y |\n")], ["a", "a-1", "x"]);
    });

    it("finds links outside code only", () => {
        const links = relativeLinks("docs/x.md", "[a](b.md#c) `[d](e)` [f](https://example.com)\n```\n[g](h)\n```\n[i]: j.md\n");
        assert.deepStrictEqual(links.map(l => l.target), ["b.md#c", "j.md"]);
    });

    for (const file of documentationFiles()) {
        it(`${file}: every relative link resolves`, () => {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            const broken = relativeLinks(file, text)
                .map(l => ({ l, why: brokenLink(l) }))
                .filter(b => b.why !== undefined)
                .map(b => `${b.l.file}:${b.l.line}: (${b.l.target}) ${b.why}`);
            assert.deepStrictEqual(broken, []);
        });
    }

    it(`README.md is at most ${README_MAX_LINES} lines`, () => {
        const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n");
        const count = lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
        assert.ok(count <= README_MAX_LINES, `README.md has ${count} lines; move details to docs/`);
    });
});
