import * as assert from "assert";
import { modelNetworkIsolation } from "../../policies/modelIsolation";
import { analyze, UNKNOWN } from "../harness";

describe("smoke", () => {
    it("model without isolation", async () => {
        const d = await analyze(modelNetworkIsolation, { type: "aws:sagemaker/model:Model", name: "m", props: { executionRoleArn: "x" } });
        console.log(d);
        assert.strictEqual(d.length, 1);
    });
    it("model with unknown isolation", async () => {
        const d = await analyze(modelNetworkIsolation, { type: "aws:sagemaker/model:Model", name: "m", props: { enableNetworkIsolation: UNKNOWN } });
        console.log(d);
        assert.strictEqual(d.length, 1);
    });
});
