/**
 * `aws sagemaker describe-*` outputs (PascalCase) of models, jobs, monitoring job definitions,
 * schedules, notebook instances, Studio domains, endpoint configurations, inference components,
 * Studio spaces and HyperPod clusters, judged as the same resource types as their create calls: what the evidence
 * needs (name, ARN, creation time) is read from the output as it is, and the properties the
 * pack judges are the output's members in camelCase, converted once here.
 */
import { isObj, keyIn, Obj } from "../../policies/values/values";
import type { AwsRecordsKind, Collector } from "./collector";
import { Instant, parseInstant } from "./instant";
import { join, RECORD_KINDS, RecordKind, recordResource, renamedItems, str } from "./records";
import { UsageError } from "./types";

/** An API member name as Pulumi's and CloudTrail's camelCase spell it. */
const camel = (key: string) => keyIn("camel", key);

/** Members whose values are maps with the user's own keys (environment variables, hyperparameters). */
const MAP_MEMBERS = new Set(["Environment", "HyperParameters", "StaticHyperParameters", "CollectionParameters", "RuleParameters", "ProfilingParameters"]);

/** An API shape's PascalCase member names in camelCase, as aws-native and CloudTrail spell them; map keys kept. */
export function camelCased(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(camelCased);
    }
    if (!isObj(v)) {
        return v;
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
        out[camel(k)] = MAP_MEMBERS.has(k) && isObj(x) ? { ...x } : camelCased(x);
    }
    return out;
}

/** A kind's properties from its API members: camelCase, and the members its judged type names otherwise renamed. */
export function kindProperties(kind: RecordKind, members: Obj): Obj {
    const out = renamedItems(kind, camelCased(members) as Obj);
    for (const [member, property] of Object.entries(kind.renames ?? {})) {
        const k = camel(member);
        if (k in out && !(property in out)) {
            out[property] = out[k];
            delete out[k];
        }
    }
    return out;
}

/** The kind of a describe output, by the ARN member only that output has. */
function describedKind(doc: unknown): RecordKind | undefined {
    if (!isObj(doc)) {
        return undefined;
    }
    return RECORD_KINDS.find(k => typeof doc[k.arnKey] === "string" && typeof doc[k.nameKey] === "string" && (k.appKey === undefined || isObj(doc[k.appKey])));
}

/** `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` → region and account. */
export function arnParts(arn: string): { region: string; account: string } | undefined {
    const p = arn.split(":");
    return p.length >= 6 && p[0] === "arn" && p[3] !== "" && /^\d{12}$/.test(p[4]) ? { region: p[3], account: p[4] } : undefined;
}

/**
 * A time as the CLI prints it (ISO 8601, ./instant.ts), or epoch seconds as the API returns it;
 * throws a UsageError naming the member (`where`) for anything else.
 */
export function strictTime(v: unknown, file: string, where: string): Instant {
    const instant = typeof v === "number" ? (Number.isFinite(v) && Math.abs(v) < 8.64e12 ? parseInstant(new Date(Math.round(v * 1000)).toISOString()) : undefined)
        : typeof v === "string" ? parseInstant(v) : undefined;
    if (!instant) {
        throw new UsageError(`${file}: ${where} is not a time (${typeof v === "number" ? "epoch seconds out of range" : "ISO 8601, as AWS writes it, or epoch seconds"})`);
    }
    return instant;
}

/** strictTime of a member that may be absent (undefined then). */
export function timestamp(v: unknown, file: string, where: string): string | undefined {
    return v === undefined || v === null ? undefined : strictTime(v, file, where).iso;
}

function describeOutput(file: string, where: string, doc: Obj, c: Collector): void {
    const kind = describedKind(doc)!;
    const arn = doc[kind.arnKey] as string;
    const parts = arnParts(arn);
    if (!parts) {
        throw new UsageError(`${file}: ${join(where, kind.arnKey)} is not an ARN with a region and an account`);
    }
    const name = str(doc[kind.nameKey]) ?? arn.slice(arn.indexOf("/") + 1);
    const g = c.group("describe", parts.account, parts.region);
    const resource = recordResource(g.set, "describe", kind, name, kindProperties(kind, doc));
    c.add(g, resource, { urn: resource.urn, kind: kind.kind, name, account: parts.account, region: parts.region, time: timestamp(doc["CreationTime"], file, join(where, "CreationTime")) });
}

export const describe: AwsRecordsKind = {
    form: "records",
    name: "describe",
    title: "`aws sagemaker describe-*` outputs",
    help: "models, jobs, monitoring job definitions and schedules, notebook instances, Studio domains, endpoint configurations, inference components, spaces, HyperPod clusters",
    detect: v => describedKind(v) !== undefined,
    read: describeOutput,
};
