import { FAMILIES, Framework, FRAMEWORKS, managedImage } from "../facts/images";
import { blockers, describe, frameworkName } from "../frame/blockers";
import { exemptionSnippet } from "../frame/exemptions";
import { Finding, notApplicable, note, rule, Verdict, WorkloadContext } from "../frame/frame";
import { unreadableFindings } from "../frame/isolation";
import { inWords, unreadable } from "../values/values";
import { ALL_KINDS, Workload } from "../workloads";
import { unreadableNote } from "../values/wire";

function enabled(config: Record<string, unknown>): Set<Framework> {
    const v = config["frameworks"];
    return new Set(Array.isArray(v) ? FRAMEWORKS.filter(f => v.includes(f)) : FRAMEWORKS);
}

/** The names of the families (not) documented as never running isolated: "A, B and C". */
function names(alwaysFails: boolean): string {
    return inWords(FRAMEWORKS.filter(f => FAMILIES.get(f)?.alwaysFails === alwaysFails).map(frameworkName));
}

/** Every workload with isolation on (or not known) whose managed framework container cannot run isolated. */
function check({ name, extraction, config, isolationPolicy }: WorkloadContext): Verdict {
    const frameworks = enabled(config);
    /** How to accept a workload without isolation: an exemption from the policy that would report it. */
    const accept = (w: Workload) => {
        const policy = isolationPolicy(w.kind);
        return policy ? ` and exempt the resource from ${policy}: ${exemptionSnippet(name)}` : "";
    };
    const out: Finding[] = [];
    for (const w of extraction.workloads) {
        const isolationUnread = unreadable(w.isolation);
        if (w.isolation !== "on" && !isolationUnread) {
            continue;
        }
        if (w.isolation === "on" && frameworks.size > 0) {
            for (const c of w.containers) {
                const unread = unreadable(c.image?.value);
                if (unread) {
                    out.push(note(unreadableNote(unread, `${name}: ${c.image!.path}`, `, so whether it is a managed container that cannot run with ${w.isolationPath} = true cannot be told.`)));
                }
            }
        }
        for (const b of blockers(w.containers, frameworks)) {
            const code = b.container.codeFromS3;
            const cannot = `${describe(b)}, which cannot run with network isolation${b.why === "always" ? "" : ` while ${code} points at Amazon S3`}`;
            if (isolationUnread) {
                out.push(note(unreadableNote(isolationUnread, `${name}: ${cannot}; ${w.isolationPath}`, ".")));
            } else if (b.why === "always") {
                out.push({ message: `${name}: ${describe(b)} and ${w.isolationPath} is true, but this container cannot run with network isolation: it needs Amazon S3 at start, which isolation blocks. Use a custom image with the code inside, or turn isolation off for this workload${accept(w)}.` });
            } else {
                out.push({ message: `${name}: ${describe(b)} and ${w.isolationPath} is true, but ${code} points at Amazon S3: the container downloads the code at start, which isolation blocks, so it fails. Package the code in model.tar.gz (inference) or pass it as an input channel named 'code' (training); or turn isolation off${accept(w)}.` });
            }
        }
    }
    out.push(...unreadableFindings(name, extraction.unreadable, "managed framework containers"));
    if (out.length > 0 || extraction.workloads.some(w => w.containers.some(c => {
        const image = typeof c.image?.value === "string" ? managedImage(c.image.value) : undefined;
        return image !== undefined && frameworks.has(image.framework);
    }))) {
        return out;
    }
    return notApplicable(frameworks.size === 0
        ? "No framework is selected (frameworks: [])"
        : `Uses no AWS ${[...frameworks].map(frameworkName).join(", ")} container`);
}

export default rule({
    name: "sagemaker-framework-isolation-compatibility",
    subject: { workloads: ALL_KINDS, noun: "models or jobs" },
    description: "Warns where network isolation is on for an AWS managed framework container that cannot run " +
        `isolated: ${names(true)} always; ${names(false)} (script mode) when their code is fetched from ` +
        "Amazon S3 at start. Such a model or job fails when it starts.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["sagemaker", "network-isolation", "compatibility"],
    remediationSteps: "For script-mode containers, ship the code with the artifacts instead of an Amazon S3 " +
        "SAGEMAKER_SUBMIT_DIRECTORY: for inference, repack it into model.tar.gz (code/ directory, " +
        "SAGEMAKER_SUBMIT_DIRECTORY=/opt/ml/model/code); for training, pass it as an input channel named 'code'. " +
        "For Chainer and Reinforcement Learning containers, build a custom image with the code inside, or keep " +
        "isolation off for that workload and protect it with a VPC without internet access.",
    settings: {
        frameworks: {
            type: "array",
            items: { type: "string", enum: [...FRAMEWORKS] },
            uniqueItems: true,
            default: [...FRAMEWORKS],
            description: "Which managed framework families to warn about (all by default).",
        },
    },
    check,
});
