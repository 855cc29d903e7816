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
 * one resource (snapshots of several days, its history), the newest by configurationItemCaptureTime
 * wins as they are read (./config-items.ts), and over all inputs (./merge.ts). A select result
 * that does not list `configurationItemStatus` is read as current items. An output that is only a
 * first page (`NextToken`, `nextToken`) or that left keys unprocessed (`unprocessedResourceKeys`)
 * is said: a warning, and a line of the report's Evidence.
 */
import { isObj, keyIn, Obj, UNRECORDED_STRING } from "../../policies/values/values";
import { AwsRecordsKind, Collector } from "./collector";
import { kindProperties, strictTime } from "./describe";
import { isAccount, isRegion } from "./instant";
import { join, RECORD_KINDS, str } from "./records";
import { JsonError, JsonScanner } from "./stream";
import { ConfigItemNote, UsageError } from "./types";

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

/** A JSON string inside a file, parsed (one value), and how deep it nests; a UsageError naming `where` if it is not JSON. */
function embeddedJson(file: string, where: string, text: string): { value: unknown; depth: number } {
    try {
        const scanner = new JsonScanner([], undefined, { single: true });
        scanner.push(Buffer.from(text, "utf8"));
        const scan = scanner.end();
        return { value: scan.documents()[0], depth: scan.deepest.depth };
    } catch (e) {
        throw e instanceof JsonError ? new UsageError(`${file}: ${where} is not valid JSON (${e.atByte})`) : e;
    }
}

/** An item's configuration (an object in snapshots and select results, a JSON string from the API) as the kind's properties. */
function configurationOf(file: string, where: string, v: unknown, kind: Parameters<typeof kindProperties>[0]): Obj | undefined {
    const { value, depth } = typeof v === "string" ? embeddedJson(file, `${where}.configuration`, v) : { value: v, depth: undefined };
    if (!isObj(value)) {
        return undefined;
    }
    try {
        return kindProperties(kind, value);
    } catch (e) {
        if (e instanceof RangeError) {
            throw new UsageError(`${file}: ${where}.configuration nests too deep to read` +
                (depth !== undefined ? ` (${depth.toLocaleString("en-US")} levels)` : ""));
        }
        throw e;
    }
}

function configItem(file: string, where: string, item: unknown, c: Collector, select: boolean): void {
    if (!isObj(item)) {
        throw new UsageError(`${file}: ${where} is not an AWS Config configuration item`);
    }
    const type = str(item["resourceType"]);
    const account = member(item, "awsAccountId", "accountId");
    const region = str(item["awsRegion"]);
    const resourceId = str(item["resourceId"]);
    // A select result lists the members its query selects: without the status, it is a current item.
    const status = str(item["configurationItemStatus"]) ?? (select && !("configurationItemStatus" in item) ? "OK" : undefined);
    const missing = [["resourceType", type], ["awsAccountId", account], ["awsRegion", region], ["resourceId", resourceId],
        ["configurationItemStatus", status], ["configurationItemCaptureTime", item["configurationItemCaptureTime"] === undefined || item["configurationItemCaptureTime"] === null ? undefined : "given"]]
        .find(([, v]) => v === undefined);
    if (missing) {
        throw new UsageError(`${file}: ${where} has no ${missing[0]}, so it is not an AWS Config configuration item`);
    }
    if (!isAccount(account!)) {
        throw new UsageError(`${file}: ${join(where, "awsAccountId")} is not an AWS account id (twelve digits)`);
    }
    if (!isRegion(region!)) {
        throw new UsageError(`${file}: ${join(where, "awsRegion")} is not an AWS Region's name`);
    }
    const instant = strictTime(item["configurationItemCaptureTime"], file, join(where, "configurationItemCaptureTime"));
    const time = instant.iso;
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
        c.configItem(g, { kind, resourceId: resourceId!, instant, note });
        return;
    }
    if (!JUDGED.has(status!)) {
        throw new UsageError(`${file}: ${join(where, "configurationItemStatus")} is not a status AWS Config gives`);
    }
    const props = configurationOf(file, where, item["configuration"], kind);
    if (!props) {
        throw new UsageError(`${file}: ${where} (${type} ${resourceId}) has no configuration, so it cannot be checked (select it: SELECT *)`);
    }
    // A member AWS Config does not record is neither absent (a false "not set") nor a preview
    // unknown: the pack reads UNRECORDED_STRING as a note that names AWS Config.
    const unrecorded = (kind.configLacks ?? []).filter(m => !(keyIn("camel", m) in props));
    for (const m of unrecorded) {
        props[keyIn("camel", m)] = UNRECORDED_STRING;
    }
    const record = { urn: "", kind: kind.kind, name, account: account!, region: region!, time, resourceId: resourceId!, ...arn && { arn },
        ...unrecorded.length > 0 && { unrecorded } };
    c.configItem(g, { kind, resourceId: resourceId!, instant, record, props });
}

function selectResults(file: string, where: string, results: unknown[], c: Collector): void {
    results.forEach((text, i) => {
        const at = join(where, `Results[${i}]`);
        if (typeof text !== "string") {
            throw new UsageError(`${file}: ${at} is not a JSON string`);
        }
        configItem(file, at, embeddedJson(file, at, text).value, c, true);
    });
}

/** The warnings of an output that is not the whole answer: a first page, keys left unprocessed. */
function incomplete(file: string, where: string, doc: Obj): string[] {
    const at = where === "" ? "" : ` (${where})`;
    const out: string[] = [];
    for (const [token, command] of [["NextToken", "select-resource-config or select-aggregate-resource-config"], ["nextToken", "get-resource-config-history"]]) {
        if (typeof doc[token] === "string" && doc[token] !== "") {
            out.push(`${file}${at}: this output is a first page (it has a ${token}): the items of the next pages are not read; ` +
                `run \`aws configservice ${command}\` again with --next-token set to its ${token}, or without --max-items, and give every page`);
        }
    }
    const keys = doc["unprocessedResourceKeys"];
    if (Array.isArray(keys) && keys.length > 0) {
        out.push(`${file}${at}: ${keys.length} resource key(s) AWS Config left unprocessed (unprocessedResourceKeys): ` +
            "their items are not read; run `aws configservice batch-get-resource-config` again for them");
    }
    return out;
}

/** The members that list configuration items: read as the file is, each item as it comes (streamedItem). */
export const ITEM_LISTS = ["configurationItems", "baseConfigurationItems"];

/**
 * An item of a top-level ITEM_LISTS member, read as it comes (cli/inputs/index.ts): only the
 * newest of each resource is kept, so a long history is never held whole.
 */
export function streamedItem(file: string, where: string, item: unknown, c: Collector): void {
    configItem(file, where, item, c, false);
}

export const awsConfig: AwsRecordsKind = {
    form: "records",
    name: "config",
    title: "AWS Config records",
    help: "snapshots; `aws configservice` history, batch-get and select (aggregator too) results",
    detect: v => isObj(v) && (ITEM_LISTS.some(k => Array.isArray(v[k])) || (Array.isArray(v["Results"]) && "QueryInfo" in v)),
    read(file, where, doc, c) {
        c.incomplete.push(...incomplete(file, where, doc));
        if (Array.isArray(doc["Results"])) {
            selectResults(file, where, doc["Results"], c);
            return;
        }
        for (const list of c.itemsStreamed ? [] : ITEM_LISTS) {
            const items = doc[list];
            if (Array.isArray(items)) {
                items.forEach((x, i) => configItem(file, join(where, `${list}[${i}]`), x, c, false));
            }
        }
    },
};
