/**
 * The policy pack configuration file (`pulumi preview --policy-pack-config FILE`): policy names
 * or "all" → a level, or an object with an optional enforcementLevel and the policy's settings.
 * Validated against the schemas the pack reports in GetAnalyzerInfo, defaults applied, and
 * turned into the complete per-policy configuration the engine sends with Configure.
 */
import type * as fs from "fs";
import Ajv, { ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { didYouMean } from "../../policies/values/suggest";
import { isObj } from "../../policies/values/values";
import { AnalyzerInfo, Level, LEVELS, ResolvedConfig } from "../protocol/protocol";
import { DEFAULT_MAX_FILE_BYTES, readSmallFile } from "../inputs/source";
import { JsonError, parseJson, TooDeep } from "../inputs/stream";
import { UsageError } from "../inputs/types";

/** The deepest a configuration nests (policy → setting → list → entry → ...): far more than any needs. */
const CONFIG_MAX_DEPTH = 100;

/** What an ajv error says, in words: where in the policy's settings, and what is wrong there. */
function describe(e: ErrorObject): string {
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".") : "";
    const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
    let what = e.message ?? "is invalid";
    if (e.keyword === "format" && (e.params as { format?: string }).format === "date") {
        what = "must be a real calendar date (expected YYYY-MM-DD)";
    } else if (e.keyword === "pattern" && typeof description === "string" && description.includes("YYYY-MM-DD")) {
        what = "must be a date (expected YYYY-MM-DD, e.g. 2027-03-31)";
    } else if (e.keyword === "pattern" && (e.params as { pattern?: string }).pattern === "\\S") {
        what = "must not be blank";
    } else if ((e.keyword === "pattern" || e.keyword === "not") && typeof description === "string") {
        what = `is not valid: ${description}`;
    } else if (e.keyword === "enum" && typeof e.data === "string" && typeof description === "string" &&
        ((e.params as { allowedValues?: unknown[] }).allowedValues?.length ?? 0) > 12) {
        // A long list (e.g. AWS's endpoint services): what is meant, and the closest allowed value.
        what = `is not valid: ${description}${didYouMean(e.data, (e.params as { allowedValues: unknown[] }).allowedValues.map(String))}`;
    } else if (e.keyword === "enum" && Array.isArray((e.params as { allowedValues?: unknown[] }).allowedValues)) {
        what = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(v => JSON.stringify(v)).join(", ")}`;
    } else if (e.keyword === "additionalProperties") {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
        what = `has an unknown property ${JSON.stringify(key)}${didYouMean(key, known)}`;
    }
    return where ? `${where} ${what}` : what;
}

/**
 * Reads a configuration file (at most `maxBytes`); throws a UsageError naming the file if it is
 * missing, not JSON (what and where, never the text), too deep, or not an object.
 */
export function readConfigFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES,
    onRead?: (file: string, st: fs.Stats) => void): Record<string, unknown> {
    const bytes = readSmallFile(file, maxBytes, st => onRead?.(file, st));
    let doc: unknown;
    try {
        [doc] = parseJson(bytes, { single: true, maxDepth: CONFIG_MAX_DEPTH });
    } catch (e) {
        throw e instanceof JsonError ? new UsageError(`${file}: ${e instanceof TooDeep ? "nests too deep" : "not valid JSON"} (${e.message})`) : e;
    }
    if (!isObj(doc)) {
        throw new UsageError(`${file}: a policy pack configuration must be a JSON object of policy names`);
    }
    return doc;
}

/**
 * The configuration for every policy of the pack: from `file` if given, else each policy's
 * default level; settings validated and completed with the schemas' defaults. A setting the
 * policy's schema does not declare is an error that names the closest valid one: Pulumi would
 * pass it on silently, and the setting it was meant to be would not take effect.
 */
export function resolveConfig(info: AnalyzerInfo, file?: string): ResolvedConfig {
    return resolveConfigDocument(info, file ? readConfigFile(file) : {}, file ?? "configuration");
}

/** resolveConfig for a document already read (by readConfigFile); `where` names it in messages. */
export function resolveConfigDocument(info: AnalyzerInfo, raw: Record<string, unknown>, where: string): ResolvedConfig {
    const names = new Set(info.policies.map(p => p.name));
    const levelOf = (key: string, v: unknown): Level | undefined => {
        const level = typeof v === "string" ? v : isObj(v) ? v["enforcementLevel"] : undefined;
        if (level === undefined) {
            return undefined;
        }
        if (typeof level !== "string" || !LEVELS.includes(level as Level)) {
            throw new UsageError(`${where}: ${key}: enforcementLevel must be one of ${LEVELS.map(l => `"${l}"`).join(", ")}, not ${JSON.stringify(level)}`);
        }
        return level as Level;
    };
    for (const [key, v] of Object.entries(raw)) {
        if (key !== "all" && !names.has(key)) {
            const hint = didYouMean(key, [...names, "all"]);
            throw new UsageError(`${where}: unknown policy ${JSON.stringify(key)}${hint || ` (the pack's policies: ${[...names].join(", ")}, or "all")`}`);
        }
        if (typeof v !== "string" && !isObj(v)) {
            throw new UsageError(`${where}: ${key} must be an enforcement level or an object`);
        }
        if (key === "all" && isObj(v) && Object.keys(v).some(k => k !== "enforcementLevel")) {
            throw new UsageError(`${where}: all: only enforcementLevel can be set for all policies`);
        }
        levelOf(key, v);
    }
    const all = levelOf("all", raw["all"]);
    // Formats as the engine's JSON Schema validator checks them (e.g. an exemption's expiry date).
    const ajv = addFormats(new Ajv({ allErrors: false, useDefaults: true, strict: false, verbose: true }));
    const out: ResolvedConfig = {};
    for (const p of info.policies) {
        const given = raw[p.name];
        const settings: Record<string, unknown> = isObj(given) ? JSON.parse(JSON.stringify(given)) as Record<string, unknown> : {};
        delete settings["enforcementLevel"];
        const known = p.configSchema?.properties ?? {};
        for (const k of Object.keys(settings)) {
            if (!Object.prototype.hasOwnProperty.call(known, k)) {
                // Pulumi passes such a key on silently; a typo would drop what it meant to set.
                throw new UsageError(`${where}: ${p.name}: unknown setting ${JSON.stringify(k)}${didYouMean(k, [...Object.keys(known), "enforcementLevel"])}`);
            }
        }
        const schema = {
            type: "object",
            properties: p.configSchema?.properties ?? {},
            ...(p.configSchema?.required?.length ? { required: p.configSchema.required } : {}),
        };
        let validate;
        try {
            validate = ajv.compile(schema);
        } catch (e) {
            throw new UsageError(`the pack's configuration schema of ${p.name} is not valid: ${(e as Error).message}`);
        }
        if (!validate(settings)) {
            throw new UsageError(`${where}: ${p.name}: ${describe(validate.errors![0])}`);
        }
        out[p.name] = { ...settings, enforcementLevel: levelOf(p.name, given) ?? all ?? p.level };
    }
    return out;
}
