// The benchmark's baseline: one resource policy and one stack policy that do nothing, on the
// same @pulumi/policy as the real pack (resolved from the repository's node_modules).
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("noop", {
    policies: [
        { name: "noop-resource", description: "Does nothing.", enforcementLevel: "advisory", validateResource: () => { } },
        { name: "noop-stack", description: "Does nothing.", enforcementLevel: "advisory", validateStack: () => { } },
    ],
});
