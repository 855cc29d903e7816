/**
 * CloudTrail records: log files as a trail delivers them (`{"Records": [...]}`), `aws cloudtrail
 * lookup-events` output (`{"Events": [...]}`, each event a JSON string in `CloudTrailEvent`), or
 * single events. Only successful `sagemaker.amazonaws.com` API calls that create a model, a
 * training, tuning or processing job, a monitoring job definition or a monitoring schedule
 * become resources, with the call's `requestParameters` (camelCase) as their properties. A call
 * with an `errorCode` created nothing: it is kept as a rejected call.
 */
import { isObj, keyIn, Obj } from "../../policies/lib/values";
import { AwsRecordsKind, Collector, createdContents, join, RECORD_KINDS, recordResource, rejectedContents, str } from "./records";
import { JsonError, parseJson } from "./stream";
import { UsageError } from "./types";

const KIND_BY_CREATE = new Map(RECORD_KINDS.map(k => [`Create${k.kind}`, k]));

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
    const time = str(ev["eventTime"]);
    const timed = time !== undefined && !Number.isNaN(Date.parse(time));
    const kind = ev["eventSource"] === SAGEMAKER_SOURCE && typeof ev["eventName"] === "string" ? KIND_BY_CREATE.get(ev["eventName"]) : undefined;
    // AwsServiceEvent entries are SageMaker's own actions (e.g. a tuning job's training jobs), not
    // calls; any other create event is a call, whatever its eventType (null, missing, ...).
    if (kind === undefined || ev["eventType"] === "AwsServiceEvent") {
        if (region !== undefined && timed) {
            c.cover(c.group("cloudtrail", account, region), time, time);
        }
        return;
    }
    const eventName = `Create${kind.kind}`;
    const eventId = str(ev["eventID"]);
    if (eventId === undefined || !timed || region === undefined) {
        throw new UsageError(`${file}: ${where} (${eventName}) has no ${eventId === undefined ? "eventID" : !timed ? "valid eventTime" : "awsRegion"}`);
    }
    const g = c.group("cloudtrail", account, region);
    c.cover(g, time, time);
    const caller = callerOf(identity);
    const errorCode = str(ev["errorCode"]);
    if (errorCode !== undefined) {
        const call = { account, region, time, eventId, eventName, errorCode, caller };
        if (c.events.first(file, eventId, rejectedContents(call))) {
            c.reject(g, call);
        }
        return;
    }
    const params = ev["requestParameters"];
    if (!isObj(params)) {
        throw new UsageError(`${file}: ${where} (${eventName} ${eventId}) has no requestParameters, so what it created cannot be checked`);
    }
    const name = str(params[keyIn("camel", kind.nameKey)]) ?? "";
    const record = { urn: "", kind: kind.kind, name, account, region, time, eventId, caller };
    // An eventID read before in this file is not made a resource again (see EventLedger).
    if (c.events.first(file, eventId, createdContents(record, params))) {
        const resource = recordResource(g.set, "cloudtrail", kind, name ? `${name}@${eventId}` : eventId, params);
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
    detect: v => isObj(v) && (Array.isArray(v["Records"]) || Array.isArray(v["Events"]) ||
        (typeof v["eventSource"] === "string" && typeof v["eventName"] === "string")),
    read(file, where, doc, c) {
        if (Array.isArray(doc["Records"])) {
            doc["Records"].forEach((ev, j) => cloudTrailEvent(file, join(where, `Records[${j}]`), ev, c));
        } else if (Array.isArray(doc["Events"])) {
            lookupEvents(file, where, doc, c);
        } else {
            cloudTrailEvent(file, where || "the event", doc, c);
        }
    },
};
