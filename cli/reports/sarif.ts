/**
 * The check command's SARIF (2.1.0) report, for GitHub code scanning and other SARIF viewers.
 *
 * Locations: a result about a resource whose state records where the program declared it
 * (`sourcePosition`) is placed there, in the Pulumi program (a `project:///` path resolved
 * against the source root, the folder given with --source-root), with the file it was read from
 * as a related location; other results are placed on the file they were read from. Every path is
 * written from the repository's root (./paths.ts), as code scanning reads it, with the base id
 * %SRCROOT%, which the run declares without a path: no absolute path of the machine is written.
 * A file outside the repository (an input read from a temporary folder, standard input) is named
 * by its file name alone, with the base id OUTSIDE_REPOSITORY; a program file outside it (a
 * `file:///` position elsewhere) is not a location: its results are placed on the input.
 *
 * Fingerprints: each result's `partialFingerprints["resourcePolicy/v1"]` is the SHA-256 of the
 * policy's name, the resource's URN (the stack's own URN for a stack policy's result) and the
 * result's rank among that policy's results on that resource (0 but for a policy reporting
 * several findings there), never of a message or a path: the same finding on the same resource is
 * the same alert from run to run, and an exemption's suppressed result is the alert it dismisses.
 */
import { createHash } from "crypto";
import * as path from "path";
import type * as sarif from "sarif";
import type { Level } from "../protocol/protocol";
import { Evaluation, StackResult } from "../engine/results";
import { sourceName } from "../inputs";
import { positionFile } from "../inputs/source-position";
import { isStdin } from "../inputs/source";
import { StackResource } from "../inputs/types";
import { TOOL_NAME } from "./common";
import { canonical, canonicalFile, relativeUri, repositoryRootOf } from "./paths";

export { sourceRootOf } from "./paths";

const SRCROOT = "%SRCROOT%";
const OUTSIDE = "OUTSIDE_REPOSITORY";
export const FINGERPRINT = "resourcePolicy/v1";

export interface SarifOptions {
    /** The Pulumi project's root, where `project:///` source positions resolve (default: the working directory). */
    sourceRoot?: string;
    /** The folder paths are written from (default: the Git work tree holding the source root; ./paths.ts). */
    repositoryRoot?: string;
}

/** Where paths start from: the repository's root, and the source root, both canonical. */
interface Roots {
    repository: string;
    source: string;
}

/** Where a file (canonical) is, for SARIF: its path from the repository's root, or its name alone when it is outside. */
function artifactLocation(file: string, roots: Roots): sarif.ArtifactLocation {
    const uri = relativeUri(file, roots.repository);
    return uri !== undefined ? { uri, uriBaseId: SRCROOT } : { uri: encodeURIComponent(path.basename(file)), uriBaseId: OUTSIDE };
}

/** Where an input (a path from the working directory, or standard input) is. */
function inputLocation(file: string, roots: Roots): sarif.ArtifactLocation {
    return isStdin(file) ? { uri: "stdin", uriBaseId: OUTSIDE } : artifactLocation(canonicalFile(file), roots);
}

/** The program's location of a resource that records one inside the repository, with the region it names. */
function programLocation(r: StackResource | undefined, roots: Roots): (sarif.PhysicalLocation & { artifactLocation: sarif.ArtifactLocation }) | undefined {
    const src = r?.source;
    if (!src) {
        return undefined;
    }
    const uri = relativeUri(canonicalFile(positionFile(src, roots.source)), roots.repository);
    if (uri === undefined) {
        return undefined;
    }
    return {
        artifactLocation: { uri, uriBaseId: SRCROOT },
        region: { startLine: src.line, ...(src.column !== undefined && { startColumn: src.column }) },
    };
}

export function fingerprint(policyName: string, urn: string, rank: number): string {
    return createHash("sha256").update(`${policyName}\n${urn}\n${rank}`).digest("hex");
}

export function sarifLog(e: Evaluation, opts: SarifOptions = {}): sarif.Log {
    const source = canonical(opts.sourceRoot ?? ".");
    const roots: Roots = { source, repository: opts.repositoryRoot !== undefined ? canonical(opts.repositoryRoot) : repositoryRootOf(undefined, source) };
    const index = new Map(e.info.policies.map((p, i) => [p.name, i]));
    const rules: sarif.ReportingDescriptor[] = e.info.policies.map(p => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: p.description },
        fullDescription: { text: p.description },
        help: {
            text: `${p.description}\n\nRemediation: ${p.remediationSteps}`,
            markdown: `${p.description}\n\n**Remediation:** ${p.remediationSteps}`,
        },
        // SARIF wants an absolute URI; the pack's own links are README anchors.
        ...(/^https?:\/\//.test(p.url) ? { helpUri: p.url } : {}),
        defaultConfiguration: { level: sarifLevel(e.config[p.name].enforcementLevel) },
        properties: {
            tags: p.tags,
            severity: p.severity,
            ...(p.framework ? { framework: p.framework } : {}),
        },
    }));
    const used = new Map<string, sarif.ArtifactLocation>();
    const use = (l: sarif.ArtifactLocation) => {
        used.set(`${l.uriBaseId ?? ""} ${l.uri}`, l);
        return l;
    };
    e.stacks.forEach(s => (s.input.sources ?? [s.input.file]).forEach(f => use(inputLocation(f, roots))));
    const ranks = new Map<string, number>();
    const result = (s: StackResult, byUrn: Map<string, StackResource>, x: { policyName: string; urn: string; resourceName: string; resourceType: string },
        level: Level, text: string, extra: Partial<sarif.Result> = {}): sarif.Result => {
        const r = byUrn.get(x.urn);
        const input: sarif.PhysicalLocation = { artifactLocation: use(inputLocation(r?.file ?? s.input.file, roots)) };
        const program = programLocation(r, roots);
        const key = `${x.policyName}\n${x.urn}`;
        const rank = ranks.get(key) ?? 0;
        ranks.set(key, rank + 1);
        return {
            ruleId: x.policyName,
            ...(index.has(x.policyName) ? { ruleIndex: index.get(x.policyName)! } : {}),
            level: sarifLevel(level),
            message: { text },
            locations: [{
                physicalLocation: program ? { ...program, artifactLocation: use(program.artifactLocation) } : input,
                logicalLocations: [{
                    fullyQualifiedName: x.urn,
                    name: x.resourceName || `${s.input.project}-${s.input.stack}`,
                    kind: "resource",
                }],
            }],
            ...(program ? { relatedLocations: [{ id: 1, physicalLocation: input, message: { text: `The ${sourceName(s.input.source)} it was read from` } }] } : {}),
            partialFingerprints: { [FINGERPRINT]: fingerprint(x.policyName, x.urn, rank) },
            ...extra,
            properties: { stack: s.input.stack, project: s.input.project, resourceType: x.resourceType, enforcementLevel: level },
        };
    };
    // Findings; and each exemption as a suppressed result (code scanning shows it as dismissed).
    const results: sarif.Result[] = e.stacks.flatMap(s => {
        const byUrn = new Map(s.input.resources.map(r => [r.urn, r]));
        return [
            ...s.findings.map(f => result(s, byUrn, f, f.level, f.message)),
            ...s.results.filter(r => r.outcome === "exempted").map(r => result(s, byUrn, r, e.config[r.policyName].enforcementLevel,
                `${r.resourceName}: exempted from ${r.policyName}. ${r.reason}`,
                { suppressions: [{ kind: "external", status: "accepted", justification: r.reason! }] })),
        ];
    });
    return {
        version: "2.1.0",
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [{
            tool: {
                driver: {
                    name: TOOL_NAME,
                    version: e.info.version,
                    semanticVersion: e.info.version,
                    fullName: `${TOOL_NAME} (policy pack ${e.info.name} ${e.info.version})`,
                    rules,
                },
            },
            originalUriBaseIds: {
                [SRCROOT]: { description: { text: "The repository's root: paths are written from it, as code scanning reads them" } },
                ...([...used.values()].some(l => l.uriBaseId === OUTSIDE) &&
                    { [OUTSIDE]: { description: { text: "A folder outside the repository, whose path is not written" } } }),
            },
            artifacts: [...used.values()].map(location => ({ location })),
            results,
        }],
    };
}

function sarifLevel(level: Level): sarif.ReportingConfiguration.level {
    return level === "mandatory" || level === "remediate" ? "error" : level === "disabled" ? "none" : "warning";
}

export function sarifText(e: Evaluation, opts: SarifOptions = {}): string {
    return JSON.stringify(sarifLog(e, opts), null, 2) + "\n";
}
