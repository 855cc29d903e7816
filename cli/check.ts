#!/usr/bin/env node
/**
 * sagemaker-isolation-check: evaluates stacks (`pulumi stack export` or `pulumi preview --json`
 * files) through this policy pack's real policies, run as the Pulumi engine runs them, so the
 * verdicts are the ones `pulumi preview --policy-pack` would show.
 *
 * Exit codes: 0 no finding at the --fail-on level (default mandatory) or above, 1 such findings, 2 usage or input error.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { packageInfo } from "../policies/values/package-info";
import { evaluate } from "./engine/evaluate";
import { INPUT_KINDS, loadFile } from "./inputs";
import { latestSettings } from "./inputs/lifecycle";
import { acrossInputs } from "./inputs/merge";
import { DEFAULT_MAX_FILE_BYTES, parseSize } from "./inputs/source";
import { StackInput, UsageError } from "./inputs/types";
import { FailOn, fails, terminalSafe, TOOL_NAME } from "./reports/common";
import { Format, FORMAT_HELP, FORMATS, render } from "./reports";
import { repositoryRootOf, sourceRootOf } from "./reports/paths";

const USAGE = `Usage: ${TOOL_NAME} [options] FILE...

Evaluates Pulumi stacks against the sagemaker-network-isolation policy pack, exactly as
\`pulumi preview --policy-pack\` would: resource policies see each resource's inputs, the
stack policy sees the outputs.

FILE is one of these (its kind is detected; gzip-compressed too; one object, an array or JSON
Lines for AWS's own records, whose audit evidence the markdown and json reports carry):
${INPUT_KINDS.map(k => `  ${k.title}: ${k.help}\n`).join("")}
Options:
  --config FILE     policy pack configuration, as for \`pulumi preview --policy-pack-config\`
                    (policy name or "all" -> a level, or {"enforcementLevel": ..., settings})
  --format FORMAT   the report's format, one of:
${FORMATS.map(f => `      ${f.padEnd(10)}${FORMAT_HELP[f]}\n`).join("")}  --fail-on LEVEL   mandatory (default: exit 1 on a mandatory finding, as pulumi preview) or
                    advisory (exit 1 on any finding: an audit)
  --output FILE     write the report to FILE instead of standard output (never over a file read)
  --max-file-bytes N
                    the most bytes read from one file, or inflated from a gzip file
                    (suffixes K, M, G, T: 512M, 2G; default 2G)
  --call-timeout S  seconds the pack may take to answer one call about a resource or a
                    stack (default 300)
  --source-root DIR the Pulumi project's folder, where the program files named by the stack's
                    source positions are (default: the current folder); SARIF places results there
  --repository-root DIR
                    the folder SARIF paths are written from, as code scanning reads them
                    (default: the Git work tree holding the source root)
  -h, --help        show this help
  --version         print the version of ${TOOL_NAME}

FILE may be - (or /dev/stdin) for standard input, or a pipe, e.g. <(pulumi stack export);
a FIFO is read as cat reads it (waiting for a writer).

Exit status: 0 no finding at the --fail-on level or above, 1 such findings, 2 usage or input error.
`;

const PROGRESS_THRESHOLD = 500;

const DEFAULT_CALL_TIMEOUT_SECONDS = 300;

function progressReporter(): ((done: number, total: number) => void) | undefined {
    if (!process.stderr.isTTY) {
        return undefined;
    }
    let last = 0;
    return (done, total) => {
        if (total <= PROGRESS_THRESHOLD) {
            return;
        }
        const now = Date.now();
        if (done === total || now - last > 200) {
            last = now;
            process.stderr.write(`\r${TOOL_NAME}: analyzed ${done}/${total} resources`);
            if (done === total) {
                process.stderr.write("\n");
            }
        }
    };
}

/** The most symbolic links followed to the file written (Linux's own limit, MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * Where writing `file` lands: its real path, with its symbolic links followed, a dangling one
 * too (writing creates the file it names); undefined when a folder on the way does not exist or
 * the links go on past MAX_LINKS (writing then fails with its own message).
 */
function writeTarget(file: string): string | undefined {
    let p = path.resolve(file);
    for (let i = 0; i <= MAX_LINKS; i++) {
        let dir: string;
        try {
            dir = fs.realpathSync(path.dirname(p));
        } catch {
            return undefined;
        }
        p = path.join(dir, path.basename(p));
        let link: string;
        try {
            if (!fs.lstatSync(p).isSymbolicLink()) {
                return p;
            }
            link = fs.readlinkSync(p);
        } catch {
            return p; // nothing there yet: the file written is this one
        }
        p = path.resolve(dir, link);
    }
    return undefined;
}

/**
 * Refuses an --output that is one of the inputs (the same file, whatever the path says) or
 * lies inside an input folder (of AWS records), links followed, dangling ones included.
 */
function refuseToOverwrite(output: string, inputs: string[]): void {
    const real = (p: string) => {
        try {
            return fs.realpathSync(p);
        } catch {
            return undefined;
        }
    };
    const out = writeTarget(output);
    if (out === undefined) {
        return; // a folder on the way does not exist, or too many links: writing it fails with its own message
    }
    const stat = (p: string) => {
        try {
            return fs.statSync(p);
        } catch {
            return undefined;
        }
    };
    const existing = stat(output);
    for (const input of inputs) {
        const r = real(input);
        const st = stat(input);
        const same = out === r || (existing !== undefined && st !== undefined && existing.dev === st.dev && existing.ino === st.ino);
        if (r !== undefined && (same || out.startsWith(r + path.sep))) {
            throw new UsageError(`--output ${output} is ${same ? "the input file" : "inside the input folder"} ${input}; it is not overwritten`);
        }
    }
}

/** A file read, by device and inode (the file itself, whatever path led to it). */
interface FileRead {
    file: string;
    dev: number;
    ino: number;
}

/**
 * Refuses an --output that is a file read (an input, a file of an input folder, the
 * configuration), by device and inode: through symbolic and hard links alike.
 */
function refuseToOverwriteRead(output: string, reads: FileRead[]): void {
    let st: fs.Stats | undefined;
    try {
        st = fs.statSync(output, { throwIfNoEntry: false });
    } catch {
        return; // cannot be looked at: writing it fails with its own message
    }
    const read = st && reads.find(r => r.dev === st.dev && r.ino === st.ino && st.isFile());
    if (read) {
        throw new UsageError(`--output ${output} is the file read as ${read.file}; it is not overwritten`);
    }
}

/** A positive number of seconds; a UsageError naming the option if not. */
function seconds(option: string, text: string): number {
    const n = /^\d{1,9}(\.\d{1,9})?$/.test(text) ? Number(text) : NaN;
    if (!(n > 0)) {
        throw new UsageError(`--${option} must be a positive number of seconds`);
    }
    return n;
}

async function main(argv: string[]): Promise<number> {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: {
                config: { type: "string" },
                format: { type: "string", default: "text" },
                "fail-on": { type: "string", default: "mandatory" },
                output: { type: "string" },
                "max-file-bytes": { type: "string" },
                "call-timeout": { type: "string" },
                "source-root": { type: "string" },
                "repository-root": { type: "string" },
                help: { type: "boolean", short: "h" },
                version: { type: "boolean" },
            },
        });
    } catch (e) {
        throw new UsageError(`${(e as Error).message.split("\n")[0]} (see --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        process.stdout.write(USAGE);
        return 0;
    }
    if (values.version) {
        process.stdout.write(`${TOOL_NAME} ${packageInfo().version}\n`);
        return 0;
    }
    const format = values.format as Format;
    if (!FORMATS.includes(format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not "${values.format}"`);
    }
    const failOn = values["fail-on"] as FailOn;
    if (failOn !== "advisory" && failOn !== "mandatory") {
        throw new UsageError(`--fail-on must be advisory or mandatory, not "${values["fail-on"]}"`);
    }
    if (positionals.length === 0) {
        throw new UsageError("no input file given (a `pulumi stack export` or `pulumi preview --json` file, or AWS records; see --help)");
    }
    const maxFileBytes = values["max-file-bytes"] === undefined ? DEFAULT_MAX_FILE_BYTES : parseSize(values["max-file-bytes"]);
    if (maxFileBytes === undefined) {
        throw new UsageError("--max-file-bytes must be a positive size in bytes, e.g. 1048576, 512M or 2G");
    }
    const callTimeoutMs = 1000 * (values["call-timeout"] === undefined ? DEFAULT_CALL_TIMEOUT_SECONDS : seconds("call-timeout", values["call-timeout"]));
    if (values.output !== undefined) {
        refuseToOverwrite(values.output, [...positionals, ...(values.config !== undefined ? [values.config] : [])]);
    }
    const sourceRoot = sourceRootOf(values["source-root"]);
    const repositoryRoot = repositoryRootOf(values["repository-root"], sourceRoot);
    const warn = (message: string) => process.stderr.write(`${TOOL_NAME}: warning: ${terminalSafe(message)}\n`);
    const reads: FileRead[] = [];
    const onRead = (file: string, st: fs.Stats) => reads.push({ file, dev: st.dev, ino: st.ino });
    const read: StackInput[] = [];
    for (const file of positionals) {
        read.push(...await loadFile(file, { maxFileBytes, warn, onRead }));
    }
    const stacks = latestSettings(acrossInputs(read));
    if (values.output !== undefined) {
        refuseToOverwriteRead(values.output, reads);
    }
    for (const s of stacks) {
        s.warnings?.forEach(w => warn(w));
        if (s.partial) {
            warn(`${s.file}: the preview lists only the resources it changes; ` +
                "run `pulumi preview --json --show-sames` so the stack policy sees the whole stack");
        }
        if (s.duplicateUrns) {
            warn(`${s.file}: ${s.duplicateUrns.length} URN(s) listed more than once (a state Pulumi would refuse), ` +
                `e.g. ${s.duplicateUrns[0]}; only the first of each is evaluated`);
        }
    }
    const evaluation = await evaluate(stacks, {
        configFile: values.config,
        progress: progressReporter(),
        warn,
        maxFileBytes,
        onRead,
        callTimeoutMs,
    });
    const report = render(format, evaluation, { sourceRoot, repositoryRoot, failOn });
    const code = fails(evaluation, failOn) ? 1 : 0;
    if (values.output !== undefined) {
        refuseToOverwriteRead(values.output, reads);
        try {
            fs.writeFileSync(values.output, report);
        } catch (e) {
            throw new UsageError(`${values.output}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
        }
    } else {
        exitCodeOnEpipe = code;
        process.stdout.write(report);
    }
    return code;
}

/**
 * The exit code if standard output is closed by its reader (`| head`): the report's, else 0.
 * A closed pipe is a normal end, not an error; nothing more is printed.
 */
let exitCodeOnEpipe = 0;
for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") {
            throw e;
        }
        process.exit(exitCodeOnEpipe);
    });
}

main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
}, (e: unknown) => {
    const message = e instanceof UsageError ? e.message
        : `cannot evaluate: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
    process.stderr.write(`${TOOL_NAME}: ${terminalSafe(message)}\n`);
    process.exitCode = 2;
});
