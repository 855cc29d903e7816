/**
 * AWS's managed framework images, recognised by ECR repository name AND the AWS account
 * that serves that repository in the image's region (data derived from the SageMaker
 * Python SDK's image registry: scripts/derive-images.js). A customer's own repository
 * with the same name is not AWS's image.
 */
import data from "./data/managed-images.json";

/** A framework family (e.g. `pytorch`): the values of the compatibility policy's `frameworks` setting. */
export type Framework = string;

interface FamilyData {
    name: string;
    alwaysFails: boolean;
    files: string[];
    repositories: Record<string, Record<string, string>>;
}

export interface Family {
    /** How messages name it (e.g. `PyTorch`). */
    name: string;
    /** AWS documents that its containers cannot run with network isolation at all (Chainer, RL). */
    alwaysFails: boolean;
}

const FAMILY_DATA = (data as { families: Record<string, FamilyData> }).families;

export const FAMILIES: ReadonlyMap<Framework, Family> = new Map(Object.entries(FAMILY_DATA).map(([id, f]) =>
    [id, { name: f.name, alwaysFails: f.alwaysFails }]));
export const FRAMEWORKS: readonly Framework[] = [...FAMILIES.keys()];

interface RepoInfo {
    framework: Framework;
    byRegion: Map<string, string>;
    accounts: Set<string>;
}

const REPOS = new Map<string, RepoInfo>();
for (const [framework, f] of Object.entries(FAMILY_DATA)) {
    for (const [repo, regions] of Object.entries(f.repositories)) {
        REPOS.set(repo, {
            framework,
            byRegion: new Map(Object.entries(regions)),
            accounts: new Set(Object.values(regions)),
        });
    }
}

// ACCOUNT.dkr.ecr[-fips].REGION.DOMAIN/REPOSITORY[:TAG][@sha256:DIGEST]
/** AWS's DNS domains in every partition (a regular expression's source), for image and S3 hosts. */
export const AWS_DOMAIN = String.raw`(?:amazonaws\.com(?:\.cn)?|c2s\.ic\.gov|sc2s\.sgov\.gov|csp\.hci\.ic\.gov|cloud\.adc-e\.uk)`;

const IMAGE = new RegExp(String.raw`^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.${AWS_DOMAIN}\/([a-z0-9._/-]+?)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$`);

export interface ManagedImage {
    framework: Framework;
    repository: string;
    account: string;
    region: string;
}

/** The managed framework image an image URI names, or undefined. */
export function managedImage(uri: string): ManagedImage | undefined {
    const m = IMAGE.exec(uri.trim());
    if (!m) {
        return undefined;
    }
    const [, account, region, repository] = m;
    const info = REPOS.get(repository);
    if (!info) {
        return undefined;
    }
    // The account must be AWS's for that repository in that region; for a region the
    // registry data does not list yet, any account that serves the repository elsewhere.
    const expected = info.byRegion.get(region);
    const ok = expected !== undefined ? expected === account : info.accounts.has(account);
    return ok ? { framework: info.framework, repository, account, region } : undefined;
}

