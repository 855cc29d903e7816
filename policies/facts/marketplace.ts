/**
 * AWS Marketplace algorithms and model packages. AWS publishes no table of the accounts
 * Marketplace listings live in. This is the per-region seller-account table the SageMaker
 * Python SDK's integration tests use (see README), extended by configuration.
 */

/**
 * Marketplace seller account by region. Source: aws/sagemaker-python-sdk,
 * tests/integ/marketplace_utils.py `REGION_ACCOUNT_MAP` (branch master-v2), as of 2026-11.
 */
export const MARKETPLACE_ACCOUNTS_BY_REGION: Readonly<Record<string, string>> = {
    "us-east-1": "865070037744",
    "us-east-2": "057799348421",
    "us-west-1": "382657785993",
    "us-west-2": "594846645681",
    "ca-central-1": "470592106596",
    "sa-east-1": "270155090741",
    "eu-west-1": "985815980388",
    "eu-west-2": "856760150666",
    "eu-west-3": "843114510376",
    "eu-central-1": "446921602837",
    "eu-north-1": "136758871317",
    "ap-south-1": "077584701553",
    "ap-northeast-1": "977537786026",
    "ap-northeast-2": "745090734665",
    "ap-southeast-1": "192199979996",
    "ap-southeast-2": "666831318237",
    "ap-east-1": "822005858737",
    "me-south-1": "335155493544",
    "cn-north-1": "295401494951",
    "cn-northwest-1": "304690803264",
};

export const MARKETPLACE_ACCOUNTS: readonly string[] = Object.values(MARKETPLACE_ACCOUNTS_BY_REGION);

export interface SageMakerArn {
    resource: "algorithm" | "model-package";
    region: string;
    account: string;
}

// arn:PARTITION:sagemaker:REGION:ACCOUNT:algorithm/NAME | model-package/NAME[/VERSION]
const ARN = /^arn:aws(?:-[a-z]+)*:sagemaker:([a-z0-9-]+):(\d{12}):(algorithm|model-package)\/[A-Za-z0-9-]{1,63}(?:\/\d+)?$/;

export function parseArn(s: string): SageMakerArn | undefined {
    const m = ARN.exec(s.trim());
    return m ? { region: m[1], account: m[2], resource: m[3] as SageMakerArn["resource"] } : undefined;
}

export interface MarketplaceSettings {
    /** Accounts whose algorithms and model packages are Marketplace listings. */
    marketplaceAccountIds: ReadonlySet<string>;
    /** When non-empty: any algorithm or model package outside these accounts is a Marketplace one. */
    ownAccountIds: ReadonlySet<string>;
}

/**
 * Whether an algorithm or model package is a Marketplace listing: `yes` in a listed account
 * (or, with `ownAccountIds` set, in any other account); `no` in an own account, or in a region
 * the table covers; `cannot-tell` in a region the table does not cover, from an account that
 * is neither listed nor own.
 */
export function marketplaceListing(arn: SageMakerArn, s: MarketplaceSettings): "yes" | "no" | "cannot-tell" {
    if (s.marketplaceAccountIds.has(arn.account)) {
        return "yes";
    }
    if (s.ownAccountIds.size > 0) {
        return s.ownAccountIds.has(arn.account) ? "no" : "yes";
    }
    return Object.prototype.hasOwnProperty.call(MARKETPLACE_ACCOUNTS_BY_REGION, arn.region) ? "no" : "cannot-tell";
}
