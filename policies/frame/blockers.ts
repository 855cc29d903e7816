/**
 * What keeps a container from running with network isolation, shared by the framework
 * compatibility policy (warns), the isolation policies (explain) and remediation (skips).
 */
import { FAMILIES, Framework, ManagedImage, managedImage } from "../facts/images";
import { Container } from "../workloads";

export interface Blocker {
    container: Container;
    image: ManagedImage;
    /**
     * `always` for families that cannot run isolated at all (Chainer, RL); `code-from-s3` for
     * the others (script mode through the SageMaker toolkits) when their code is fetched from S3.
     */
    why: "always" | "code-from-s3";
}

/** How messages name a framework family (e.g. `PyTorch`). */
export function frameworkName(f: Framework): string {
    return FAMILIES.get(f)?.name ?? f;
}

/** The containers of `containers` that cannot run isolated, among `frameworks`. */
export function blockers(containers: Container[], frameworks?: ReadonlySet<Framework>): Blocker[] {
    const out: Blocker[] = [];
    for (const c of containers) {
        const uri = c.image?.value;
        const image = typeof uri === "string" ? managedImage(uri) : undefined;
        if (!image || (frameworks && !frameworks.has(image.framework))) {
            continue;
        }
        if (FAMILIES.get(image.framework)?.alwaysFails) {
            out.push({ container: c, image, why: "always" });
        } else if (c.codeFromS3) {
            out.push({ container: c, image, why: "code-from-s3" });
        }
    }
    return out;
}

/** `<path> is AWS's <Framework> container (<repository>)`: names the path and repository only. */
export function describe(b: Blocker): string {
    return `${b.container.image!.path} is AWS's ${frameworkName(b.image.framework)} container (${b.image.repository})`;
}

/** One sentence on why a blocker breaks under isolation. */
export function explain(b: Blocker): string {
    const what = describe(b);
    return b.why === "always"
        ? `${what}, which cannot run with network isolation: it needs Amazon S3 at start`
        : `${what} and ${b.container.codeFromS3} points at Amazon S3, so the container would download its code at start, which isolation blocks`;
}
