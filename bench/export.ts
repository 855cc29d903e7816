/**
 * A `pulumi stack export` document of `size` resources built from bench/stack.ts, shaped as the
 * engine writes a state: inputs and outputs (outputs add the provider's read properties: id,
 * arn, tagsAll, and for bigger resources the defaults the provider fills in), property
 * dependencies, a provider and the stack resource. About 4 KB per resource, as in real states.
 */
import { makeStack } from "./stack";

const PROVIDER = "urn:pulumi:dev::bench::pulumi:providers:aws::default_7_0_0";

export function makeExport(size: number): unknown {
    const resources: unknown[] = [
        { urn: "urn:pulumi:dev::bench::pulumi:pulumi:Stack::bench-dev", custom: false, type: "pulumi:pulumi:Stack" },
        { urn: PROVIDER, custom: true, id: "7b8c7f9e-5b2a-4c1e-9d3f-0a1b2c3d4e5f", type: "pulumi:providers:aws", inputs: { region: "us-east-1", version: "7.0.0" }, outputs: { region: "us-east-1", version: "7.0.0" } },
    ];
    for (const r of makeStack(size)) {
        const id = typeof r.props["id"] === "string" ? r.props["id"] : `${r.name}-${r.urn.length.toString(16)}`;
        const arn = `arn:aws:${r.type.split(/[:/]/)[1]}:us-east-1:123456789012:${r.name}`;
        const inputs = { ...r.props, __defaults: [], tags: { team: "ml", "cost-center": "1234", environment: "dev" } };
        const outputs = {
            ...r.props, id, arn, region: "us-east-1",
            tags: inputs.tags, tagsAll: { ...inputs.tags, "managed-by": "pulumi", owner: "platform-team@example.com" },
            // What a provider read adds: timeouts, computed defaults, long descriptions.
            timeouts: null, description: "Managed by Pulumi. ".repeat(48), urlSuffix: "amazonaws.com",
            lastModified: "2026-11-01T12:00:00Z", ownerId: "123456789012",
        };
        resources.push({
            urn: r.urn, custom: true, id, type: r.type, inputs, outputs, parent: "urn:pulumi:dev::bench::pulumi:pulumi:Stack::bench-dev",
            dependencies: r.dependencies ?? [], provider: `${PROVIDER}::7b8c7f9e-5b2a-4c1e-9d3f-0a1b2c3d4e5f`,
            propertyDependencies: r.propertyDependencies ?? {}, created: "2026-11-01T12:00:00Z", modified: "2026-11-01T12:00:00Z",
        });
    }
    return { version: 3, deployment: { manifest: { time: "2026-11-01T12:00:00Z", magic: "", version: "v3.248.0" }, secrets_providers: { type: "service" }, resources } };
}
