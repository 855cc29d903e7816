/**
 * AWS Config records: configuration snapshots as Config delivers them to S3
 * (`AWSLogs/ACCOUNT/Config/REGION/YYYY/M/D/ConfigSnapshot/….json.gz`, `{"fileVersion",
 * "configSnapshotId", "configurationItems": [...]}`), `aws configservice
 * get-resource-config-history` and `batch-get-resource-config` output (`configurationItems`,
 * `baseConfigurationItems`: the API's spelling, `accountId`, `arn`, `configuration` a JSON
 * string), and `select-resource-config` / `select-aggregate-resource-config` results (`{"Results":
 * [JSON strings], "QueryInfo"}`, each a configuration item).
 *
 * Each item of a SageMaker type the pack judges (RECORD_KINDS with `config`) becomes the matching
 * aws-native resource, its configuration's PascalCase members in camelCase (the CloudFormation
 * resource model, which aws-native follows), in one pseudo-stack per account and region (project
 * `aws-config`). Deleted and not recorded items are kept as notes, not judged. Of several items of
 * one resource (snapshots of several days), the newest by configurationItemCaptureTime wins:
 * newestConfigItems, over all inputs.
 */
import { isObj, Obj } from "../../policies/values/values";
import { kindProperties, timestamp } from "./describe";
import { AwsRecordsKind, Collector, join, RECORD_KINDS, recordResource, str } from "./records";
import { JsonError, parseJson } from "./stream";
import { ConfigItemNote, StackInput, UsageError } from "./types";

const KIND_BY_TYPE = new Map(RECORD_KINDS.filter(k => k.config).map(k => [`AWS::SageMaker::${k.kind}`, k]));

const JUDGED = new Set(["OK", "ResourceDiscovered"]);
const NOT_JUDGED = new Set<string>(["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"]);

/** A member in the snapshot's spelling or the API's (`awsAccountId` / `accountId`, `ARN` / `arn`). */
function member(item: Obj, ...keys: string[]): string | undefined {
    for (const k of keys) {
        const v = str(item[k]);
        if (v !== undefined) {
            return v;
        }
    }
    return undefined;
}

/** An item's configuration: an object (snapshots, select results) or a JSON string (the API). */
function configurationOf(file: string, where: string, v: unknown): Obj | undefined {
    if (typeof v !== "string") {
        return isObj(v) ? v : undefined;
    }
    let parsed: unknown;
    try {
        [parsed] = parseJson(v, { single: true });
    } catch (e) {
        throw e instanceof JsonError ? new UsageError(`${file}: ${where}.configuration is not valid JSON (${e.atByte})`) : e;
    }
    return isObj(parsed) ? parsed : undefined;
}

function configItem(file: string, where: string, item: unknown, c: Collector): void {
    if (!isObj(item)) {
        throw new UsageError(`${file}: ${where} is not an AWS Config configuration item`);
    }
    const type = str(item["resourceType"]);
    const account = member(item, "awsAccountId", "accountId");
    const region = str(item["awsRegion"]);
    const resourceId = str(item["resourceId"]);
    const status = str(item["configurationItemStatus"]);
    const time = timestamp(item["configurationItemCaptureTime"], file, join(where, "configurationItemCaptureTime"));
    const missing = [["resourceType", type], ["awsAccountId", account], ["awsRegion", region], ["resourceId", resourceId],
        ["configurationItemStatus", status], ["configurationItemCaptureTime", time]].find(([, v]) => v === undefined);
    if (missing) {
        throw new UsageError(`${file}: ${where} has no ${missing[0]}, so it is not an AWS Config configuration item`);
    }
    const g = c.group("config", account!, region!);
    c.cover(g, time, time);
    const kind = KIND_BY_TYPE.get(type!);
    if (!kind) {
        return;
    }
    const arn = member(item, "ARN", "arn");
    const name = member(item, "resourceName") ?? resourceId!;
    if (NOT_JUDGED.has(status!)) {
        const note: ConfigItemNote = { kind: kind.kind, name, account: account!, region: region!, resourceId: resourceId!, time, status: status as ConfigItemNote["status"], ...arn && { arn } };
        c.note(g, note);
        return;
    }
    if (!JUDGED.has(status!)) {
        throw new UsageError(`${file}: ${join(where, "configurationItemStatus")} is not a status AWS Config gives`);
    }
    const configuration = configurationOf(file, where, item["configuration"]);
    if (!configuration) {
        throw new UsageError(`${file}: ${where} (${type} ${resourceId}) has no configuration, so it cannot be checked (select it: SELECT *)`);
    }
    const resource = recordResource(g.set, "config", kind, `${name}@${time}`, kindProperties(kind, configuration));
    c.add(g, resource, { urn: resource.urn, kind: kind.kind, name, account: account!, region: region!, time, resourceId: resourceId!, ...arn && { arn } });
}

function selectResults(file: string, where: string, results: unknown[], c: Collector): void {
    results.forEach((text, i) => {
        const at = join(where, `Results[${i}]`);
        if (typeof text !== "string") {
            throw new UsageError(`${file}: ${at} is not a JSON string`);
        }
        let item: unknown;
        try {
            [item] = parseJson(text, { single: true });
        } catch (e) {
            throw e instanceof JsonError ? new UsageError(`${file}: ${at} is not valid JSON (${e.atByte})`) : e;
        }
        configItem(file, at, item, c);
    });
}

const ITEM_LISTS = ["configurationItems", "baseConfigurationItems"];

export const awsConfig: AwsRecordsKind = {
    form: "records",
    name: "config",
    title: "AWS Config records",
    help: "snapshots; `aws configservice` history, batch-get and select (aggregator too) results",
    detect: v => isObj(v) && (ITEM_LISTS.some(k => Array.isArray(v[k])) || (Array.isArray(v["Results"]) && "QueryInfo" in v)),
    read(file, where, doc, c) {
        if (Array.isArray(doc["Results"])) {
            selectResults(file, where, doc["Results"], c);
            return;
        }
        for (const list of ITEM_LISTS) {
            const items = doc[list];
            if (Array.isArray(items)) {
                items.forEach((x, i) => configItem(file, join(where, `${list}[${i}]`), x, c));
            }
        }
    },
};

/**
 * The inputs' stacks with only the newest AWS Config item of each resource (account, region,
 * type and resource id; newest by configurationItemCaptureTime, over all files given): an older
 * item's resource, record or note is dropped before the pack evaluates it.
 */
export function newestConfigItems(stacks: StackInput[]): StackInput[] {
    const newest = new Map<string, number>();
    const key = (x: { account: string; region: string; kind: string; resourceId?: string }) => `${x.account}\n${x.region}\n${x.kind}\n${x.resourceId ?? ""}`;
    const consider = (x: { account: string; region: string; kind: string; resourceId?: string; time?: string }) => {
        const t = Date.parse(x.time ?? "") || 0;
        const k = key(x);
        newest.set(k, Math.max(newest.get(k) ?? t, t));
    };
    const configs = stacks.filter(s => s.records?.source === "config");
    configs.forEach(s => [...s.records!.records, ...s.records!.notes ?? []].forEach(consider));
    const isNewest = (x: { account: string; region: string; kind: string; resourceId?: string; time?: string }) => (Date.parse(x.time ?? "") || 0) === newest.get(key(x));
    return stacks.map(s => {
        if (s.records?.source !== "config") {
            return s;
        }
        const keep = s.records.records.map(isNewest);
        return {
            ...s, resources: s.resources.filter((_, i) => keep[i]),
            records: { ...s.records, records: s.records.records.filter((_, i) => keep[i]), notes: s.records.notes?.filter(isNewest) },
        };
    });
}
