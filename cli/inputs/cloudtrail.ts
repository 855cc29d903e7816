/**
 * CloudTrail records: log files as a trail delivers them (`{"Records": [...]}`), `aws cloudtrail
 * lookup-events` output (`{"Events": [...]}`, each event a JSON string in `CloudTrailEvent`), or
 * single events. Only successful `sagemaker.amazonaws.com` API calls that create a model, a
 * training, tuning or processing job, a monitoring job definition, a monitoring schedule, an
 * endpoint configuration, an inference component, a Studio space or a HyperPod cluster become
 * resources, with the call's `requestParameters` (camelCase) as their properties; so do
 * calls that create or update a notebook instance or a Studio domain (an Update's parameters are
 * the settings it changes: latestSettings in ./records.ts makes it the resource's latest known
 * settings), and calls that delete one (which end it: ./lifecycle.ts). A call with an `errorCode`
 * created nothing: it is kept as a rejected call, with the attempted resource's name, AWS's error
 * code and its errorMessage as a template, every value in it hidden (./message.ts). eventTime and
 * awsRegion are read strictly (./instant.ts).
 */
import { isObj, keyIn, Obj } from "../../policies/values/values";
import { AwsRecordsKind, Collector, createdContents, rejectedContents } from "./collector";
import { isRegion, parseInstant } from "./instant";
import { messageTemplate } from "./message";
import { join, RECORD_KINDS, RecordKind, recordResource, renamedItems, str } from "./records";
import { JsonError, parseJson } from "./stream";
import { logFileDay } from "./trail-days";
import { UsageError } from "./types";

type Call = "Create" | "Update" | "Delete";

/** The calls that make a record: `Create<kind>`, and `Update<kind>`, `Delete<kind>` for kinds whose settings Update calls change. */
const KIND_BY_CALL = new Map<string, { kind: RecordKind; call: Call }>([
    ...RECORD_KINDS.map(k => [`Create${k.kind}`, { kind: k, call: "Create" }] as const),
    ...RECORD_KINDS.filter(k => k.updatable).flatMap(k => [[`Update${k.kind}`, { kind: k, call: "Update" as Call }], [`Delete${k.kind}`, { kind: k, call: "Delete" as Call }]] as const),
]);

/** The resource a call names: its name, or for an Update of a kind named by id (a domain), that id. */
function calledName(kind: RecordKind, call: Call, params: unknown): string | undefined {
    return isObj(params) ? str(params[keyIn("camel", call !== "Create" ? kind.idKey ?? kind.nameKey : kind.nameKey)]) : undefined;
}

/** What links a resource's calls: the id a Create's response gives (its ARN's last segment) where Updates name it by id. */
function createdId(kind: RecordKind, response: unknown): string | undefined {
    const arn = kind.idKey !== undefined && isObj(response) ? str(response[keyIn("camel", kind.arnKey)]) : undefined;
    return arn?.slice(arn.lastIndexOf("/") + 1);
}

const SAGEMAKER_SOURCE = "sagemaker.amazonaws.com";

function callerOf(identity: unknown): string {
    if (!isObj(identity)) {
        return "unknown";
    }
    return str(identity["arn"]) ?? (str(identity["invokedBy"]) ? `service ${str(identity["invokedBy"])}` : str(identity["type"]) ?? "unknown");
}

function cloudTrailEvent(file: string, where: string, ev: unknown, c: Collector): void {
    if (!isObj(ev)) {
        throw new UsageError(`${file}: ${where} is not a CloudTrail event`);
    }
    const region = str(ev["awsRegion"]);
    const identity = ev["userIdentity"];
    const account = str(ev["recipientAccountId"]) ?? (isObj(identity) ? str(identity["accountId"]) : undefined) ?? "";
    const instant = typeof ev["eventTime"] === "string" ? parseInstant(ev["eventTime"]) : undefined;
    const time = instant?.iso;
    const found = ev["eventSource"] === SAGEMAKER_SOURCE && typeof ev["eventName"] === "string" ? KIND_BY_CALL.get(ev["eventName"]) : undefined;
    // AwsServiceEvent entries are SageMaker's own actions (e.g. a tuning job's training jobs), not
    // calls; any other create event is a call, whatever its eventType (null, missing, ...). Other
    // events only extend the period, when their time and Region are valid.
    if (found === undefined || ev["eventType"] === "AwsServiceEvent") {
        if (region !== undefined && isRegion(region) && time !== undefined) {
            c.cover(c.group("cloudtrail", account, region), time, time);
        }
        return;
    }
    const { kind, call } = found;
    const eventName = `${call}${kind.kind}`;
    const eventId = str(ev["eventID"]);
    if (eventId === undefined || time === undefined || region === undefined || !isRegion(region)) {
        throw new UsageError(`${file}: ${where} (${eventName}) has no ${eventId === undefined ? "eventID" : time === undefined ? "valid eventTime (ISO 8601)" : "valid awsRegion"}`);
    }
    const g = c.group("cloudtrail", account, region);
    c.cover(g, time, time);
    const caller = callerOf(identity);
    const errorCode = str(ev["errorCode"]);
    const params = ev["requestParameters"];
    if (errorCode !== undefined) {
        if (call === "Delete") {
            return; // a delete AWS refused ended nothing
        }
        const name = calledName(kind, call, params);
        const message = str(ev["errorMessage"]);
        const rejected = { account, region, time, eventId, eventName, errorCode: messageTemplate(errorCode, 64), caller, ...name !== undefined && { name },
            ...message !== undefined && { message: messageTemplate(message) } };
        if (c.events.first(file, eventId, rejectedContents(rejected))) {
            c.reject(g, rejected);
        }
        return;
    }
    if (!isObj(params)) {
        throw new UsageError(`${file}: ${where} (${eventName} ${eventId}) has no requestParameters, so what it ${call === "Delete" ? "deleted" : "created"} cannot be checked`);
    }
    const name = calledName(kind, call, params) ?? "";
    const resourceId = kind.updatable ? (call !== "Create" ? name : createdId(kind, ev["responseElements"]) ?? name) : undefined;
    const record = {
        urn: "", kind: kind.kind, name, account, region, time, eventId, caller, ...call !== "Create" && { call },
        ...call === "Update" && { update: "latest" as const }, ...resourceId && { resourceId },
    };
    // An eventID read before in this file is not made a resource again (see EventLedger).
    if (c.events.first(file, eventId, createdContents(record, params))) {
        const resource = recordResource(g.set, "cloudtrail", kind, name || eventId, renamedItems(kind, params), eventId);
        c.add(g, resource, { ...record, urn: resource.urn });
    }
}

function lookupEvents(file: string, where: string, doc: Obj, c: Collector): void {
    (doc["Events"] as unknown[]).forEach((e, i) => {
        const at = join(where, `Events[${i}]`);
        const text = isObj(e) ? e["CloudTrailEvent"] : undefined;
        if (typeof text !== "string") {
            throw new UsageError(`${file}: ${at} has no CloudTrailEvent`);
        }
        let ev: unknown;
        try {
            [ev] = parseJson(text, { single: true });
        } catch (err) {
            throw err instanceof JsonError ? new UsageError(`${file}: ${at}.CloudTrailEvent is not valid JSON (${err.atByte})`) : err;
        }
        cloudTrailEvent(file, `${at}.CloudTrailEvent`, ev, c);
    });
}

export const cloudTrail: AwsRecordsKind = {
    form: "records",
    name: "cloudtrail",
    title: "CloudTrail records",
    help: "log files (.json, .json.gz) or folders of them, `aws cloudtrail lookup-events` output",
    detect: v => isObj(v) && (Array.isArray(v["Records"]) || Array.isArray(v["Events"]) ||
        (typeof v["eventSource"] === "string" && typeof v["eventName"] === "string")),
    read(file, where, doc, c) {
        if (Array.isArray(doc["Records"])) {
            doc["Records"].forEach((ev, j) => cloudTrailEvent(file, join(where, `Records[${j}]`), ev, c));
            // A trail's log file: its name says its account, Region and day (./trail-days.ts).
            const named = where === "" ? logFileDay(file) : undefined;
            if (named) {
                c.logDays(c.group("cloudtrail", named.account, named.region), [named.day]);
            }
        } else if (Array.isArray(doc["Events"])) {
            if (typeof doc["NextToken"] === "string" && doc["NextToken"] !== "") {
                c.incomplete.push(`${file}${where === "" ? "" : ` (${where})`}: this output is a first page (it has a NextToken): the events of the next pages ` +
                    "are not read; run `aws cloudtrail lookup-events` again with --starting-token set to its NextToken, or without --max-items, and give every page");
            }
            lookupEvents(file, where, doc, c);
        } else {
            cloudTrailEvent(file, where || "the event", doc, c);
        }
    },
};
