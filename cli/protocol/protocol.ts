/**
 * What the check command and the engine say to each other over the analyzer protocol, as plain
 * values: enforcement levels, the pack's policies, configuration, and what Analyze, AnalyzeStack
 * and Remediate answer (./client.ts converts the protocol's messages).
 */

export type Level = "advisory" | "mandatory" | "disabled" | "remediate";
/** The levels in the protocol's EnforcementLevel order: index = enum value. */
export const LEVELS: readonly Level[] = ["advisory", "mandatory", "disabled", "remediate"];

export interface Diagnostic {
    policyName: string;
    message: string;
    level: Level;
    urn: string;
}

/** A policy that said it does not apply (`AnalyzeResponse.not_applicable`), with its reason. */
export interface NotApplicable {
    policyName: string;
    reason: string;
}

/** What one Analyze or AnalyzeStack call answers: violations, and the policies that do not apply. */
export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

export interface PolicyDescription {
    name: string;
    /** Resource policies answer Analyze, stack policies AnalyzeStack (protocol PolicyType). */
    type: "resource" | "stack" | "unknown";
    description: string;
    level: Level;
    severity: number;
    url: string;
    tags: string[];
    remediationSteps: string;
    framework?: { name: string; version: string; reference: string; specification: string };
    configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyDescription[];
}

export interface Remediation {
    policyName: string;
    properties?: Record<string, unknown>;
    diagnostic: string;
}

/** The Configure call's configuration: for every policy, its level and settings. */
export type ResolvedConfig = Record<string, { enforcementLevel: Level } & Record<string, unknown>>;
