/**
 * `npm run bench`, third part: worst cases at Step Functions' maximum definition size, 1 MiB.
 *
 * - the shapes that once made `definitionSubstitutions` quadratic, through `extract` as the
 *   policies call it; an exemption glob of many pieces on a 1 MiB name; 20k exemptions against
 *   20k resources through `applyExemptions`;
 * - every regular expression in policies/ (found in the source: literals, `new RegExp`, and
 *   JSON-schema `pattern`s, which ajv compiles with the `u` flag), each on the slowest of a few
 *   1 MiB inputs built against its shape. A regular expression found with no worst case here is
 *   listed as MISSING, so a new one cannot slip by.
 *
 * Each figure is the fastest of a few runs. A report, not a test: it exits 0 either way.
 */
import * as fs from "fs";
import * as path from "path";
import { AWS_DOMAIN } from "../policies/facts/images";
import { applyExemptions } from "../policies/frame/exemptions";
import { matches } from "../policies/values/glob";
import { UNKNOWN_SENTINEL } from "../policies/values/sentinels";
import { SEALED_STRING } from "../policies/values/values";
import { extract } from "../policies/workloads";
import { substitute } from "../policies/workloads/substitutions";

const MIB = 1024 * 1024;
const RUNS = Number(process.env.BENCH_WORST_RUNS) || 3;
const POLICIES = path.resolve(__dirname, "..", "policies");
const NSFN = "aws-native:stepfunctions:StateMachine";

/** The fastest of RUNS calls, in milliseconds. */
function fastest(f: () => unknown): number {
    let best = Infinity;
    for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        f();
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return best;
}

/** `unit` repeated to `size` characters, then `tail`. */
function fill(head: string, unit: string, tail = "", size = MIB): string {
    const n = Math.max(0, Math.floor((size - head.length - tail.length) / unit.length));
    return head + unit.repeat(n) + tail;
}

// ---- The whole paths. ----

function paths(): string[][] {
    const rows: string[][] = [];
    const time = (what: string, f: () => unknown, note = "") => rows.push([what, fastest(f).toFixed(1), note]);
    time("substitution: `${` repeated, with values", () => extract(NSFN, { definitionString: fill("", "${"), definitionSubstitutions: { a: "x" } }));
    time("substitution: unterminated \"\\\"\\\"…, a value unknown", () => extract(NSFN, { definitionString: fill("${u}\"", "\\\""), definitionSubstitutions: { u: UNKNOWN_SENTINEL } }));
    time("substitution: `${${…`, the whole map unknown", () => extract(NSFN, { definitionString: fill("", "${"), definitionSubstitutions: UNKNOWN_SENTINEL }));
    const sealed: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
        sealed[`k${"a".repeat(i)}`] = SEALED_STRING;
    }
    time("substitution: 1,000 sealed keys, `${kaaa…` text", () => extract(NSFN, { definitionString: fill("${k", "a", "}"), definitionSubstitutions: sealed }));
    const values: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
        values[`k${i}`] = "a".repeat(i) + "b";
    }
    const name = substitute(Object.keys(values).map(k => "${" + k + "}").join(" "), values).name!;
    const long = fill("", "a");
    time("state name of 1 MiB shown with 1,000 values", () => name(long));
    const keys = (last: string) => Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i === 999 ? last : `\${k${i + 1}}`]));
    const cycle = keys("${k0}");
    time("substitution: `${k0}` repeated, a cycle k0 → … → k999 → k0", () => extract(NSFN, { definitionString: fill("", "${k0}"), definitionSubstitutions: cycle }),
        "circular: unreadable");
    const chain = keys("x");
    time("substitution: `${k0}` repeated, a chain k0 → … → k999 → \"x\"", () => extract(NSFN, { definitionString: fill("", "${k0}"), definitionSubstitutions: chain }));
    const big = { a: "v".repeat(4096) };
    time("substitution: `${a}` repeated, a 4 KiB value", () => extract(NSFN, { definitionString: fill("", "${a}"), definitionSubstitutions: big }),
        "past 2×text+2 MiB: unreadable");
    const pattern = "*" + "a".repeat(2000) + "b*" + "a".repeat(2000) + "c";
    time("glob `*a{2000}b*a{2000}c` on a 1 MiB name", () => matches(pattern, long));
    const exemptions = Array.from({ length: 20_000 }, (_, i) => ({
        resource: i % 4 === 0 ? `model-${i}` : i % 4 === 1 ? `urn:pulumi:prod::ml::aws:sagemaker/model:Model::model-${i}*`
            : i % 4 === 2 ? `*-${i}-legacy` : `model-${i}-*`,
        reason: "r",
    }));
    const findings = [{ message: "m" }];
    time("20k exemptions × 20k resources (applyExemptions)", () => {
        const config = { exemptions: [...exemptions] }; // a fresh array: the index is built too
        for (let i = 0; i < 20_000; i++) {
            const n = `model-${i * 7 + 1}`;
            applyExemptions(config, n, `urn:pulumi:prod::ml::aws:sagemaker/model:Model::${n}`, findings);
        }
    }, "index built once, then 20k lookups");
    const stars = Array.from({ length: 20_000 }, (_, i) => ({ resource: `*-${i}*ml*`, reason: "r" }));
    time("20k `*…*` exemptions × 20k resources", () => {
        const config = { exemptions: [...stars] };
        for (let i = 0; i < 20_000; i++) {
            applyExemptions(config, `model-${i * 7 + 1}`, `urn:pulumi:prod::ml::aws:sagemaker/model:Model::model-${i * 7 + 1}`, findings);
        }
    }, "under their longest piece, found by one Aho-Corasick pass");
    return rows;
}

// ---- Every regular expression in policies/. ----

/** Worst-case candidates for each regular expression, by its source text. */
const WORST: Record<string, () => string[]> = {
    // facts/marketplace.ts ARN
    [String.raw`^arn:aws(?:-[a-z]+)*:sagemaker:([a-z0-9-]+):(\d{12}):(algorithm|model-package)\/[A-Za-z0-9-]{1,63}(?:\/\d+)?$`]: () => [
        fill("arn:aws", "-a", "!"), fill("arn:aws-", "a"), fill("arn:aws:sagemaker:", "a"), fill("arn:aws:sagemaker:us-east-1:123456789012:model-package/", "a"),
        fill("arn:aws:sagemaker:us-east-1:123456789012:model-package/a/", "1", "!"),
    ],
    // facts/images.ts IMAGE
    [String.raw`^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.${AWS_DOMAIN}\/([a-z0-9._/-]+?)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$`]: () => [
        fill("123456789012.dkr.ecr.us-east-1.amazonaws.com/", "a", "!"), fill("123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:", "a", "!"),
        fill("123456789012.dkr.ecr.", "a"), fill("123456789012.dkr.ecr.us-east-1.amazonaws.com/", "a/.", ":"),
        fill("123456789012.dkr.ecr.us-east-1.amazonaws.com/r:", "a.", "@sha256:0"),
    ],
    // workloads/api.ts S3_LOCATION
    [String.raw`^["'\s]*(?:s3:\/\/|https?:\/\/(?:[^/?#@\s]{0,253}\.)?s3(?:[.-][^/?#@\s]{0,253})?\.${AWS_DOMAIN}(?::\d+)?(?:[/?#"']|$))`]: () => [
        fill("", " ", "x"), fill("https://", "s3."), fill("https://s3.amazonaws.com", " ", "x"),
        fill("https://" + "s3.".repeat(84) + "amazonaws.com", " ", "x"), fill("https://" + "s3.".repeat(84) + "amazonaws.com", " "),
        fill("https://" + "s3-".repeat(84) + "s3.amazonaws.com", " ", "x"),
        fill("https://" + "a.".repeat(126) + "s3." + "a.".repeat(126) + "amazonaws.com", " ", "x"), fill("https://s3.amazonaws.com:", "1", "x"),
    ],
    // workloads/documents.ts SFN_RESOURCE
    [String.raw`^arn:.*:states:::(?:aws-sdk:)?sagemaker:([A-Za-z]+)(?:\.(?:sync(?::2)?|waitForTaskToken))?$`]: () => [
        fill("arn:", "x"), fill("arn:", ":states:::sagemaker:a"), fill("arn::states:::sagemaker:", "a", "!"), fill("arn:", ":"),
        fill("arn:", ":states:::sagemaker:a.sync", "!"),
    ],
    // network/names.ts SERVICE_NAME, REGION, ARN_REGION, ZONE_REGION, IMAGE_REGION
    [String.raw`^(?:[a-z]+\.)?com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9.-]+)$`]: () => [
        fill("", "a"), fill("com.amazonaws.", "a"), fill("com.amazonaws.us-east-1.", "a", "!"), fill("a.com.amazonaws.", "a.", "!"),
    ],
    [String.raw`^[a-z]{2}(?:-[a-z]+)+-\d+$`]: () => [fill("ab", "-a", "-"), fill("ab-", "a"), fill("ab-a-", "1", "x"), fill("ab", "-a-1", "x")],
    [String.raw`^arn:[a-z-]+:[a-z0-9-]+:([a-z0-9-]+):`]: () => [fill("arn:", "a"), fill("arn:a:", "a"), fill("arn:a:a:", "a"), fill("arn:", "-")],
    [String.raw`^([a-z]{2}(?:-[a-z]+)+-\d+)(?:[a-z]|-[a-z0-9-]+)$`]: () => [
        fill("ab", "-a", "-1!"), fill("ab-a-1-", "a", "!"), fill("ab-a-", "1", "!"), fill("ab", "-a-1", "!"), fill("ab-a-1", "-1", "!"),
    ],
    [String.raw`^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.`]: () => [fill("", "1"), fill("111111111111.dkr.ecr.", "a"), fill("111111111111.dkr.ecr-fips.", "a-", "!")],
    // network/settings.ts: schema patterns (centralizedEndpoints, externalSubnets), run by the validators
    [String.raw`^(\*|tgw-[0-9a-f]+|core-network-[0-9a-f]+|arn:[a-z-]+:networkmanager::[0-9]{12}:core-network/core-network-[0-9a-f]+)$`]: () => [
        fill("tgw-", "a", "!"), fill("core-network-", "a", "!"), fill("arn:", "a"), fill("arn:a:networkmanager::111111111111:core-network/core-network-", "a", "!"),
    ],
    // network/reachability.ts placement: the top property of a path
    "[.[]": () => [fill("", "a"), fill("", "."), fill("", "a[")],
    // frame/exemptions.ts: not blank, a date
    "\\S": () => [fill("", " "), fill("", "\u3000")],
    "^\\d{4}-\\d{2}-\\d{2}$": () => [fill("", "1"), fill("1111-11-", "1")],
    // frame/remediation.ts setPath
    "\\.|\\[(\\d+)\\]": () => [fill("[", "1"), fill("", "[1"), fill("", "a"), fill("", "[1]."), fill("", "[")],
    "^\\d+$": () => [fill("", "1", "x")],
    // values/wire.ts oneLine, values/values.ts label
    "[\\r\\n\\t]+": () => [fill("", "\n"), fill("", "a\n"), fill("", "\r\n\t", "x")],
    "[^\\x20-\\x7e]": () => [fill("", "é"), fill("", "a")],
    // JSON-schema patterns (ajv: the `u` flag)
    "^\\d{12}$": () => [fill("", "1"), fill("", "1", "x")],
    "^[a-z0-9][a-z0-9.-]*$": () => [fill("", "a.", "!"), fill("", "-")],
    "^(com\\.amazonaws|cn\\.com\\.amazonaws|aws\\.sagemaker)\\.": () => [fill("com.amazonaws", "s"), fill("cn.com.amazonaws", "."), fill("", "com.")],
    "^subnet-[0-9a-f]+$": () => [fill("subnet-", "a", "x"), fill("", "subnet-")],
    "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$": () => [fill("", "1"), fill("1111-11-", "1")],
};

interface Found {
    source: string;
    flags: string;
    where: string;
}

/** The regular expressions written in a file: literals, `new RegExp(String.raw`…`)`, schema patterns. */
function regexesIn(file: string): Found[] {
    const text = fs.readFileSync(file, "utf8");
    const where = path.relative(path.dirname(POLICIES), file);
    const out: Found[] = [];
    const lines = text.split("\n");
    for (const [i, line] of lines.entries()) {
        const at = `${where}:${i + 1}`;
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) {
            continue; // a comment
        }
        // A regex literal after `=`, `(`, `!`, `,`, `return` (never division in this code).
        for (const m of line.matchAll(/(?:[=(!,]|return)\s*\/((?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+)\/([dgimsuy]*)/g)) {
            if (line.slice(0, m.index).split("\"").length % 2 === 0) {
                continue; // inside a string: "…=/opt/ml/…"
            }
            out.push({ source: m[1], flags: m[2], where: at });
        }
        for (const m of line.matchAll(/new RegExp\(String\.raw`([^`]*)`(?:,\s*"([a-z]*)")?\)/g)) {
            out.push({ source: m[1].split("${AWS_DOMAIN}").join(AWS_DOMAIN), flags: m[2] ?? "", where: at });
        }
        if (/new RegExp\((?!String\.raw`)/.test(line)) {
            out.push({ source: line.trim(), flags: "?", where: at }); // built at run time: has no worst case here
        }
        for (const m of line.matchAll(/pattern: (?:("(?:[^"\\]|\\.)*")|([A-Z_]+))/g)) {
            // A string, or a constant of the same file holding one (NOT_BLANK).
            const literal = m[1] ?? new RegExp(`const ${m[2]} = ("(?:[^"\\\\]|\\\\.)*");`).exec(text)?.[1];
            const value: unknown = literal === undefined ? undefined : JSON.parse(literal);
            out.push({ source: typeof value === "string" ? value : line.trim(), flags: typeof value === "string" ? "u" : "?", where: at });
        }
    }
    return out;
}

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d => d.isDirectory() ? walk(path.join(dir, d.name))
        : d.name.endsWith(".ts") ? [path.join(dir, d.name)] : []);
}

function regexes(): string[][] {
    const found = new Map<string, Found[]>();
    for (const f of walk(POLICIES).flatMap(regexesIn)) {
        const key = `${f.source}\u0000${f.flags}`;
        found.set(key, [...found.get(key) ?? [], f]);
    }
    const rows: string[][] = [];
    for (const list of found.values()) {
        const { source, flags } = list[0];
        const where = list.map(f => f.where).join(", ");
        const shown = source.length > 60 ? source.slice(0, 57) + "..." : source;
        const worst = WORST[source];
        if (!worst || flags === "?") {
            rows.push([shown, where, "MISSING", ""]);
            continue;
        }
        const re = new RegExp(source, flags.replace("g", ""));
        const global = new RegExp(source, flags.includes("g") ? flags : flags + "g");
        let slowest = 0;
        let input = "";
        for (const [i, s] of worst().entries()) {
            // As the pack uses it: test, and for a global one every match (replace / split).
            const ms = fastest(() => flags.includes("g") || source === "[.[]" || source === "\\.|\\[(\\d+)\\]" ? s.split(global).length : re.test(s));
            if (ms > slowest) {
                slowest = ms;
                input = `#${i + 1} (${(s.length / MIB).toFixed(2)} MiB)`;
            }
        }
        rows.push([shown, where, slowest.toFixed(2), input]);
    }
    return rows;
}

/** Columns below `left` padded on the right (text), the others on the left (figures). */
function table(rows: string[][], left: number): string {
    const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
    return rows.map(r => r.map((c, i) => i < left ? c.padEnd(widths[i]) : c.padStart(widths[i])).join("   ").trimEnd()).join("\n");
}

function main() {
    process.stderr.write("worst cases at 1 MiB...\n");
    console.log("");
    console.log(table([["worst case (1 MiB unless said)", `ms (fastest of ${RUNS})`, "note"], ...paths()], 1));
    console.log("");
    console.log(table([["regular expression in policies/", "where", "ms per MiB (worst input)", "worst input"], ...regexes()], 2));
}

main();
