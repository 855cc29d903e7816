/**
 * What the check command's inputs are read into, whatever the file: stacks of resources with
 * their inputs (for resource policies) and outputs (for the stack policy), the AWS records some
 * stacks carry, and the error every reader throws for a bad input.
 */

/** An input problem: reported as one line naming the file, exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Where the Pulumi program declared a resource (./source-position.ts). */
export interface SourcePosition {
    /** "project": `path` is relative to the Pulumi project's root (slashes); "file": an absolute path. */
    root: "project" | "file";
    path: string;
    line: number;
    column?: number;
}

export interface StackResource {
    urn: string;
    type: string;
    /** Logical name: the last segment of the URN. */
    name: string;
    inputs: Record<string, unknown>;
    /** The resource as AnalyzeStack carries it (with its outputs), encoded once when it is read. */
    stackEntry: Uint8Array;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /**
     * Read with `.get()` (an export's `external: true`, a preview's read step): the engine does
     * not call Analyze for reads; AnalyzeStack still sees them.
     */
    external: boolean;
    /** Where the program declared it, if the state records it (`sourcePosition`). */
    source?: SourcePosition;
    /** The file it was read from, when its stack was merged from several (AWS records); else the stack's `file`. */
    file?: string;
}

export interface StackInput {
    /** The file (or folder, for AWS records) it was read from (the first, for records merged from several). */
    file: string;
    /**
     * All the files it was read from, when more than one: `describe-*` outputs of one account and
     * region given as several files make one stack.
     */
    sources?: string[];
    /**
     * The name of the input kind that read it (cli/inputs/index.ts lists them): "export"
     * (pulumi stack export), "preview" (pulumi preview --json), or AWS records: "cloudtrail"
     * (CloudTrail logs, lookup-events), "describe" (aws sagemaker describe-*) or "config" (AWS Config).
     */
    source: string;
    stack: string;
    project: string;
    resources: StackResource[];
    /**
     * A preview of an existing stack that lists only the resources it changes (`pulumi preview
     * --json` without `--show-sames`: no `same` steps, and not only creates), so the stack policy
     * does not see the whole stack.
     */
    partial?: boolean;
    /** URNs the file lists more than once (a state the engine would refuse); the first of each is evaluated. */
    duplicateUrns?: string[];
    /** Warnings about the file (one line each, never a property value), printed before the evaluation. */
    warnings?: string[];
    /** AWS records (source "cloudtrail" or "describe"): one per resource, and the rejected calls. */
    records?: RecordSet;
}

export type RecordSource = "cloudtrail" | "describe" | "config";

/** A record that became a resource: what the evidence says about it besides the pack's verdict. */
export interface AwsRecord {
    urn: string;
    kind: string;
    /** The resource's name as AWS knows it ("" if the record does not say). */
    name: string;
    account: string;
    region: string;
    /** CloudTrail: the call's eventTime. describe: CreationTime, if given. */
    time?: string;
    /** CloudTrail only: the call's eventID and its caller (userIdentity.arn, or the calling service). */
    eventId?: string;
    caller?: string;
    /**
     * CloudTrail: an Update call (the resource's latest known settings: see latestSettings in
     * ./records.ts); "partial" when no earlier call of the resource was read, so its other settings are unknown.
     */
    update?: "latest" | "partial";
    /** What links a resource's calls: its name, or its id where Update calls name it by id (a domain's DomainId). */
    resourceId?: string;
    /** AWS Config: the item's ARN; time is its configurationItemCaptureTime. */
    arn?: string;
    /** CloudTrail: the call that made the record (Create when absent). */
    call?: "Create" | "Update" | "Delete";
    /** AWS Config: members its kind's policy reads that AWS Config does not record (judged as not known: the record is not judged on them). */
    unrecorded?: string[];
}

/** An AWS Config item that is not judged: the resource is deleted, or its configuration is not recorded. */
export interface ConfigItemNote {
    kind: string;
    name: string;
    account: string;
    region: string;
    arn?: string;
    resourceId: string;
    /** configurationItemCaptureTime. */
    time?: string;
    status: "ResourceDeleted" | "ResourceDeletedNotRecorded" | "ResourceNotRecorded";
}

/** A create call AWS refused (the event has an errorCode): nothing was created. */
export interface RejectedCall {
    account: string;
    region: string;
    time: string;
    eventId: string;
    eventName: string;
    errorCode: string;
    caller: string;
    /** The attempted resource's name from requestParameters, if given. */
    name?: string;
    /** AWS's errorMessage with every quoted value replaced by "…" (it can quote request values). */
    message?: string;
}

/** The records of one source, account and region (a pseudo-stack's `records`). */
export interface RecordSet {
    source: RecordSource;
    account: string;
    region: string;
    /** CloudTrail: the first and last eventTime of all events read (any service). */
    first?: string;
    last?: string;
    records: AwsRecord[];
    rejected: RejectedCall[];
    /** AWS Config: the items of deleted or not recorded resources (no resource, not judged). */
    notes?: ConfigItemNote[];
    /** What the input leaves out (a first page, unprocessed keys): one line each, for the Evidence. */
    incomplete?: string[];
    /** CloudTrail: the UTC days (YYYY-MM-DD, sorted) of the trail log files read for it, from their names (./trail-days.ts). */
    logDays?: string[];
}

/** What every input kind has (cli/inputs/index.ts lists them, and loadFile asks each in turn). */
export interface InputKindBase {
    /** The StackInput source of what it reads (json reports print it). */
    name: string;
    /** How reports name it. */
    title: string;
    /** What it reads, in one line of the command's --help (after the title). */
    help: string;
}
