/** Inputs the property-based tests once failed on, kept as fixed cases. */
import { modelNetworkIsolation } from "../rules";
import * as assert from "assert";
import { analyze, secret } from "../harness";
import { checkDiagnostics } from "./properties";

describe("fuzz regressions", () => {
    it("a secret substitution used as a state name is not shown in messages", async () => {
        const def = JSON.stringify({
            StartAt: "${Name}", States: {
                "${Name}": { Type: "Task", Resource: "arn:aws:states:::sagemaker:createModel", Parameters: { EnableNetworkIsolation: false }, End: true },
            },
        });
        for (const props of [
            { definitionString: def, definitionSubstitutions: { Name: secret("S3CR3T-000000000000") } },
            { definition: JSON.parse(def), definitionSubstitutions: { Name: secret("S3CR3T-000000000000") } },
        ]) {
            const ds = await analyze(modelNetworkIsolation, { type: "aws-native:stepfunctions:StateMachine", name: "sm", props });
            assert.strictEqual(ds.length, 1);
            checkDiagnostics(ds, ["S3CR3T-000000000000"], "model");
            assert.ok(ds[0].message.includes(".States.${Name}.Parameters.EnableNetworkIsolation"), ds[0].message);
        }
    });
});
