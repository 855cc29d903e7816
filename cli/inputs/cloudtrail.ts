/**
 * CloudTrail records: log files as a trail delivers them (`{"Records": [...]}`), `aws cloudtrail
 * lookup-events` output (`{"Events": [...]}`, each event a JSON string in `CloudTrailEvent`), or
 * single events. Only successful `sagemaker.amazonaws.com` API calls that create a model, a
 * training, tuning or processing job, a monitoring job definition or a monitoring schedule
 * become resources, with the call's `requestParameters` (camelCase) as their properties; so do
 * calls that create or update a notebook instance or a Studio domain (an Update's parameters are
 * the settings it changes: latestSettings in ./records.ts makes it the resource's latest known
 * settings). A call with an `errorCode` created nothing: it is kept as a rejected call, with the
 * attempted resource's name and AWS's errorMessage with its quoted values hidden.
 */
import { isObj, keyIn, Obj } from "../../policies/values/values";
import { AwsRecordsKind, Collector, createdContents, join, RECORD_KINDS, RecordKind, recordResource, rejectedContents, str } from "./records";
import { JsonError, parseJson } from "./stream";
import { UsageError } from "./types";

/** The calls that make a record: `Create<kind>`, and `Update<kind>` for kinds whose settings Update calls change. */
const KIND_BY_CALL = new Map<string, { kind: RecordKind; update: boolean }>([
    ...RECORD_KINDS.map(k => [`Create${k.kind}`, { kind: k, update: false }] as const),
    ...RECORD_KINDS.filter(k => k.updatable).map(k => [`Update${k.kind}`, { kind: k, update: true }] as const),
]);

const QUOTES = "'\"`";

/** Whether `c` is a letter or digit (an apostrophe between two is not a quote: "doesn't"). */
function wordChar(c: string | undefined): boolean {
    return c !== undefined && /^[\p{L}\p{N}]$/u.test(c);
}

/**
 * AWS's errorMessage with every quoted value ('…', "…", `…`) replaced by "…": AWS quotes request
 * values in it. One pass, linear: a quote that is never closed hides the rest of the message.
 */
export function hideQuoted(message: string): string {
    let out = "";
    let i = 0;
    while (i < message.length) {
        const q = message[i];
        const opens = QUOTES.includes(q) && !(q === "'" && wordChar(message[i - 1]));
        if (!opens) {
            out += q;
            i++;
            continue;
        }
        let end = message.indexOf(q, i + 1);
        while (q === "'" && end >= 0 && wordChar(message[end + 1]) && wordChar(message[end - 1])) {
            end = message.indexOf(q, end + 1);
        }
        out += `${q}…${end < 0 ? "" : q}`;
        i = end < 0 ? message.length : end + 1;
    }
    return out;
}

/** The resource a call names: its name, or for an Update of a kind named by id (a domain), that id. */
function calledName(kind: RecordKind, update: boolean, params: unknown): string | undefined {
    return isObj(params) ? str(params[keyIn("camel", update ? kind.idKey ?? kind.nameKey : kind.nameKey)]) : undefined;
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
    const time = str(ev["eventTime"]);
    const timed = time !== undefined && !Number.isNaN(Date.parse(time));
    const call = ev["eventSource"] === SAGEMAKER_SOURCE && typeof ev["eventName"] === "string" ? KIND_BY_CALL.get(ev["eventName"]) : undefined;
    // AwsServiceEvent entries are SageMaker's own actions (e.g. a tuning job's training jobs), not
    // calls; any other create event is a call, whatever its eventType (null, missing, ...).
    if (call === undefined || ev["eventType"] === "AwsServiceEvent") {
        if (region !== undefined && timed) {
            c.cover(c.group("cloudtrail", account, region), time, time);
        }
        return;
    }
    const { kind, update } = call;
    const eventName = `${update ? "Update" : "Create"}${kind.kind}`;
    const eventId = str(ev["eventID"]);
    if (eventId === undefined || !timed || region === undefined) {
        throw new UsageError(`${file}: ${where} (${eventName}) has no ${eventId === undefined ? "eventID" : !timed ? "valid eventTime" : "awsRegion"}`);
    }
    const g = c.group("cloudtrail", account, region);
    c.cover(g, time, time);
    const caller = callerOf(identity);
    const errorCode = str(ev["errorCode"]);
    const params = ev["requestParameters"];
    if (errorCode !== undefined) {
        const name = calledName(kind, update, params);
        const message = str(ev["errorMessage"]);
        const rejected = { account, region, time, eventId, eventName, errorCode, caller, ...name !== undefined && { name }, ...message !== undefined && { message: hideQuoted(message) } };
        if (c.events.first(file, eventId, rejectedContents(rejected))) {
            c.reject(g, rejected);
        }
        return;
    }
    if (!isObj(params)) {
        throw new UsageError(`${file}: ${where} (${eventName} ${eventId}) has no requestParameters, so what it created cannot be checked`);
    }
    const name = calledName(kind, update, params) ?? "";
    const resourceId = kind.updatable ? (update ? name : createdId(kind, ev["responseElements"]) ?? name) : undefined;
    const record = { urn: "", kind: kind.kind, name, account, region, time, eventId, caller, ...update && { update: "latest" as const }, ...resourceId && { resourceId } };
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
    help: "log files (.json, .json.gz) or folders of them, `aws cloudtrail lookup-events` output",
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
