import { MARKETPLACE_ACCOUNTS, marketplaceListing, MarketplaceSettings, parseArn } from "../facts/marketplace";
import { Finding, notApplicable, note, rule, Verdict, WorkloadContext } from "../frame/frame";
import { unreadableFindings } from "../frame/isolation";
import { DYNAMIC, unreadable } from "../values/values";
import { ALL_KINDS } from "../workloads";
import { noteMessage, unreadableNote } from "../values/wire";

const accountIds = {
    type: "array" as const,
    items: { type: "string" as const, pattern: "^\\d{12}$", description: "An AWS account id: 12 digits." },
    uniqueItems: true,
};

function settings(config: Record<string, unknown>): MarketplaceSettings {
    const ids = (v: unknown) => Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    return {
        marketplaceAccountIds: new Set([...MARKETPLACE_ACCOUNTS, ...ids(config["marketplaceAccountIds"])]),
        ownAccountIds: new Set(ids(config["ownAccountIds"])),
    };
}

/** Every workload that names a Marketplace listing and is not isolated; notes where that cannot be told. */
function check({ name, extraction, config }: WorkloadContext): Verdict {
    const s = settings(config);
    const out: Finding[] = [];
    for (const w of extraction.workloads) {
        if (w.isolation === "on") {
            continue;
        }
        for (const c of w.containers) {
            const v = c.source?.value;
            const unread = unreadable(v);
            if (unread) {
                out.push(note(unreadableNote(unread, `${name}: ${c.source!.path}`, `; if it names a Marketplace listing, AWS rejects the job unless ${w.isolationPath} is true.`)));
                continue;
            }
            if (v === DYNAMIC) {
                out.push(note(noteMessage(false, `${name}: ${c.source!.path} is set at run time; if it names a Marketplace listing, AWS rejects the job unless ${w.isolationPath} is true.`)));
                continue;
            }
            const arn = typeof v === "string" ? parseArn(v) : undefined;
            const listing = arn ? marketplaceListing(arn, s) : "no";
            if (!arn || listing === "no") {
                continue; // not an ARN (a name is the account's own resource), or not a Marketplace one
            }
            const what = arn.resource === "algorithm" ? "algorithm" : "model package";
            if (listing === "cannot-tell") {
                out.push(note(noteMessage(false, `${name}: ${c.source!.path} is ${arn.resource === "algorithm" ? "an" : "a"} ${what} of account ${arn.account} in a region the pack's table of Marketplace seller accounts does not cover, so the pack cannot tell whether it is a Marketplace listing (which requires ${w.isolationPath} = true). List your own accounts in ownAccountIds, or Marketplace accounts in marketplaceAccountIds.`)));
                continue;
            }
            const where = `${name}: ${c.source!.path} is a Marketplace ${what} (account ${arn.account})`;
            const isolationUnread = unreadable(w.isolation);
            if (isolationUnread) {
                out.push(note(unreadableNote(isolationUnread, `${where}; ${w.isolationPath}`, " and must be true.")));
            } else {
                const state = w.isolation === DYNAMIC ? "set at run time" : w.isolation === "absent" ? "not set" : "not true";
                out.push({ message: `${where} but ${w.isolationPath} is ${state}; AWS rejects Marketplace jobs and models without network isolation. Set ${w.isolationPath} to true.` });
            }
        }
    }
    out.push(...unreadableFindings(name, extraction.unreadable, "Marketplace algorithms and model packages"));
    if (out.length > 0 || extraction.workloads.some(w => w.containers.some(c => c.source !== undefined))) {
        return out;
    }
    return notApplicable("References no algorithm or model package");
}

export default rule({
    name: "sagemaker-marketplace-network-isolation",
    subject: { workloads: ALL_KINDS, noun: "models or jobs" },
    description: "Models and training or tuning jobs that use an AWS Marketplace algorithm or model package run " +
        "with network isolation. AWS rejects such jobs otherwise (ValidationException: EnableNetworkIsolation " +
        "must be true for jobs using SageMaker Marketplace algorithms).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sagemaker", "network-isolation", "marketplace"],
    remediationSteps: "Set EnableNetworkIsolation to true on the model or job that names the Marketplace " +
        "algorithm (AlgorithmSpecification.AlgorithmName) or model package (ModelPackageName). Marketplace " +
        "containers are built to run without network access.",
    settings: {
        marketplaceAccountIds: {
            ...accountIds, default: [],
            description: "More AWS accounts whose algorithms and model packages are Marketplace listings " +
                "(added to the built-in list).",
        },
        ownAccountIds: {
            ...accountIds, default: [],
            description: "Your own AWS accounts. When set, an algorithm or model package ARN from any other " +
                "account is treated as a Marketplace listing (so no ARN is left undecided).",
        },
    },
    check,
});
