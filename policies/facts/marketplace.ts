/**
 * AWS Marketplace algorithms and model packages. AWS publishes no table of the accounts
 * Marketplace listings live in; these are the per-region accounts the SageMaker Python
 * SDK's integration tests use (see README), extended by configuration.
 */
export const MARKETPLACE_ACCOUNTS: readonly string[] = [
    "865070037744", "057799348421", "382657785993", "594846645681", "470592106596",
    "270155090741", "985815980388", "856760150666", "843114510376", "446921602837",
    "136758871317", "077584701553", "977537786026", "745090734665", "192199979996",
    "666831318237", "822005858737", "335155493544", "295401494951", "304690803264",
];

export interface SageMakerArn {
    resource: "algorithm" | "model-package";
    account: string;
}

// arn:PARTITION:sagemaker:REGION:ACCOUNT:algorithm/NAME | model-package/NAME[/VERSION]
const ARN = /^arn:aws(?:-[a-z]+)*:sagemaker:[a-z0-9-]+:(\d{12}):(algorithm|model-package)\/[A-Za-z0-9-]{1,63}(?:\/\d+)?$/;

export function parseArn(s: string): SageMakerArn | undefined {
    const m = ARN.exec(s.trim());
    return m ? { account: m[1], resource: m[2] as SageMakerArn["resource"] } : undefined;
}

export interface MarketplaceSettings {
    /** Accounts whose algorithms and model packages are Marketplace listings. */
    marketplaceAccountIds: ReadonlySet<string>;
    /** When non-empty: any algorithm or model package outside these accounts is a Marketplace one. */
    ownAccountIds: ReadonlySet<string>;
}

export function isMarketplace(arn: SageMakerArn, s: MarketplaceSettings): boolean {
    return s.marketplaceAccountIds.has(arn.account) || (s.ownAccountIds.size > 0 && !s.ownAccountIds.has(arn.account));
}
