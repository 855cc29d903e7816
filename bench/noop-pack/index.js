// The benchmark's baselines: one resource policy and one stack policy that do nothing, on the
// same @pulumi/policy as the real pack (resolved from the repository's node_modules). With
// NOOP_STACK_ANSWER naming a JSON file ({ name, description, findings: [{ urn, message }] }),
// the stack policy judges nothing either but reports those findings: the SDK's cost of the
// same answer as the real pack's, without computing it.
const fs = require("fs");
const { PolicyPack } = require("@pulumi/policy");

const answer = process.env.NOOP_STACK_ANSWER ? JSON.parse(fs.readFileSync(process.env.NOOP_STACK_ANSWER, "utf8")) : undefined;

new PolicyPack("noop", {
    policies: [
        { name: "noop-resource", description: "Does nothing.", enforcementLevel: "advisory", validateResource: () => { } },
        answer
            ? {
                name: answer.name, description: answer.description, enforcementLevel: "advisory",
                validateStack: (_args, reportViolation) => answer.findings.forEach(f => reportViolation({ message: f.message, urn: f.urn })),
            }
            : { name: "noop-stack", description: "Does nothing.", enforcementLevel: "advisory", validateStack: () => { } },
    ],
});
