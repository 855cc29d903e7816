/**
 * What keeps a container from running with network isolation, shared by the framework
 * compatibility policy (warns), the isolation policies (explain) and remediation (skips).
 */
import { Framework, ManagedImage, managedImage } from "../facts/images";
import { Container } from "../workloads";

export interface Blocker {
    container: Container;
    image: ManagedImage;
    /** `always` for Chainer and RL; `code-from-s3` for PyTorch and Scikit-learn fetching code from S3. */
    why: "always" | "code-from-s3";
}

export const FRAMEWORK_NAMES: Record<Framework, string> = {
    "chainer": "Chainer",
    "pytorch": "PyTorch",
    "scikit-learn": "Scikit-learn",
    "rl": "SageMaker Reinforcement Learning",
};

/** The containers of `containers` that cannot run isolated, among `frameworks`. */
export function blockers(containers: Container[], frameworks?: ReadonlySet<Framework>): Blocker[] {
    const out: Blocker[] = [];
    for (const c of containers) {
        const uri = c.image?.value;
        const image = typeof uri === "string" ? managedImage(uri) : undefined;
        if (!image || (frameworks && !frameworks.has(image.framework))) {
            continue;
        }
        if (image.framework === "chainer" || image.framework === "rl") {
            out.push({ container: c, image, why: "always" });
        } else if (c.codeFromS3) {
            out.push({ container: c, image, why: "code-from-s3" });
        }
    }
    return out;
}

/** `<path> is AWS's <Framework> container (<repository>)`: names the path and repository only. */
export function describe(b: Blocker): string {
    return `${b.container.image!.path} is AWS's ${FRAMEWORK_NAMES[b.image.framework]} container (${b.image.repository})`;
}

/** One sentence on why a blocker breaks under isolation. */
export function explain(b: Blocker): string {
    const what = describe(b);
    return b.why === "always"
        ? `${what}, which cannot run with network isolation: it needs Amazon S3 at start`
        : `${what} and ${b.container.codeFromS3} points at Amazon S3, so the container would download its code at start, which isolation blocks`;
}
