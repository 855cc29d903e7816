import { trainingNetworkIsolation } from "../rules";
import * as assert from "assert";
import { analyze } from "../harness";
import { extract } from "../../policies/workloads";

describe("long document paths", () => {
    it("keep the start and the end of a step nested 1000 Conditions deep, within one message line", async () => {
        let steps: unknown[] = [{ Name: "Train", Type: "Training", Arguments: {} }];
        for (let i = 0; i < 1000; i++) {
            steps = [{ Name: `Cond${i}`, Type: "Condition", Arguments: { IfSteps: [], ElseSteps: steps } }];
        }
        const d = await analyze(trainingNetworkIsolation, {
            type: "aws:sagemaker/pipeline:Pipeline", name: "deep", props: { pipelineDefinition: JSON.stringify({ Steps: steps }) },
        });
        assert.strictEqual(d.length, 1);
        const m = d[0].message;
        assert.ok(m.length < 1000, `message of ${m.length} characters`);
        assert.match(m, /^deep: pipelineDefinition\.Steps\[0\]\(Cond999\)\.Arguments\.ElseSteps\[0\]\(Cond998\).*\.\.\..*\.ElseSteps\[0\]\(Train\)\.Arguments\.EnableNetworkIsolation is not set, so the training job runs with network access/);
        assert.match(m, /Set it to true\.$/);
        assert.ok(!/[\r\n]/.test(m));
    });
});

describe("wide documents", () => {
    it("a pipeline with 130,000 sibling Condition steps is walked, not taken for invalid JSON", () => {
        const cond = '{"Name":"C","Type":"Condition","Arguments":{"IfSteps":[],"ElseSteps":[]}}';
        const def = `{"Steps":[${Array(130000).fill(cond).join(",")},{"Name":"T","Type":"Training","Arguments":{}}]}`;
        const r = extract("aws:sagemaker/pipeline:Pipeline", { pipelineDefinition: def });
        assert.deepStrictEqual(r.unreadable, []);
        assert.strictEqual(r.workloads.length, 1);
        assert.strictEqual(r.workloads[0].isolationPath, "pipelineDefinition.Steps[130000](T).Arguments.EnableNetworkIsolation");
    });
});
