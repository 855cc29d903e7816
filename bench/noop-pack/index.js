// The benchmark's baselines: one resource policy and one stack policy that do nothing, on the
// same @pulumi/policy as the real pack (resolved from the repository's node_modules). With
// NOOP_STACK_ANSWER naming a JSON file ({ name, description, findings: [{ urn, message }] }),
// the stack policy judges nothing either but reports those findings: the SDK's cost of the
// same answer as the real pack's, without computing it. With NOOP_READ_DEFINITIONS set as well,
// it first parses every pipeline and state machine definition of the stack, as any policy that
// judges the workloads declared in them must: the least a stack policy doing this job can cost.
const fs = require("fs");
const { PolicyPack } = require("@pulumi/policy");

const answer = process.env.NOOP_STACK_ANSWER ? JSON.parse(fs.readFileSync(process.env.NOOP_STACK_ANSWER, "utf8")) : undefined;
const readDefinitions = answer !== undefined && process.env.NOOP_READ_DEFINITIONS !== undefined;
const DEFINITIONS = ["pipelineDefinition", "definition", "definitionString"];

/** Parses each definition given as text (through the SDK's property proxy, as a policy reads it); how many. */
function parseDefinitions(resources) {
    let parsed = 0;
    for (const r of resources) {
        for (const key of DEFINITIONS) {
            const text = r.props[key];
            if (typeof text === "string") {
                try {
                    JSON.parse(text);
                    parsed++;
                } catch {
                    // not JSON: nothing to read
                }
            }
        }
    }
    return parsed;
}

new PolicyPack("noop", {
    policies: [
        { name: "noop-resource", description: "Does nothing.", enforcementLevel: "advisory", validateResource: () => { } },
        answer
            ? {
                name: answer.name, description: answer.description, enforcementLevel: "advisory",
                validateStack: (args, reportViolation) => {
                    if (readDefinitions) {
                        parseDefinitions(args.resources);
                    }
                    answer.findings.forEach(f => reportViolation({ message: f.message, urn: f.urn }));
                },
            }
            : { name: "noop-stack", description: "Does nothing.", enforcementLevel: "advisory", validateStack: () => { } },
    ],
});
