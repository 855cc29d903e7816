/**
 * Workloads declared inside JSON documents: SageMaker Pipeline definitions and Step Functions
 * state machines (Amazon States Language). Both walkers use an explicit work list, so any
 * nesting depth is safe.
 */
import { isObj, join, label, read, shortPath } from "../values/values";
import * as api from "./api";
import { Workload } from "./types";

/** How a document's step and state names are shown in property paths (printable, bounded). */
export type Labeller = (name: unknown) => string;

/** Appends `items` in reverse order (so they pop in order), without spreading: lists may be huge. */
function pushReversed<T>(stack: T[], items: T[]): void {
    for (let i = items.length - 1; i >= 0; i--) {
        stack.push(items[i]);
    }
}

const PIPELINE_STEPS: Record<string, api.Extractor> = {
    Training: api.training,
    Tuning: api.tuning,
    Processing: api.processing,
    // Check steps run processing jobs built from the same request shape.
    QualityCheck: api.processing,
    ClarifyCheck: api.processing,
    Model: api.model,
    CreateModel: api.model,
};

/** Steps[i], at any depth of Condition steps' IfSteps/ElseSteps. */
export function pipelineWorkloads(doc: unknown, base: string, name: Labeller = label): Workload[] {
    const out: Workload[] = [];
    const todo: { steps: unknown; path: string }[] = [{ steps: isObj(doc) ? doc["Steps"] : undefined, path: join(base, "Steps") }];
    for (let item = todo.pop(); item; item = todo.pop()) {
        if (!Array.isArray(item.steps)) {
            continue;
        }
        const pending: typeof todo = [];
        item.steps.forEach((step, i) => {
            if (!isObj(step)) {
                return;
            }
            const path = shortPath(`${item.path}[${i}](${name(step["Name"])})`);
            const extract = typeof step["Type"] === "string" ? PIPELINE_STEPS[step["Type"]] : undefined;
            if (extract) {
                // One by one: a tuning step may declare any number of definitions, more than a spread takes.
                for (const w of extract("pipeline", read("pipeline", step, "Arguments"), join(path, "Arguments"))) {
                    out.push(w);
                }
            } else if (step["Type"] === "Condition" && isObj(step["Arguments"])) {
                const args = step["Arguments"];
                pending.push({ steps: args["IfSteps"], path: join(path, "Arguments.IfSteps") });
                pending.push({ steps: args["ElseSteps"], path: join(path, "Arguments.ElseSteps") });
            }
        });
        pushReversed(todo, pending);
    }
    return out;
}

const SFN_TASKS: Record<string, api.Extractor> = {
    createTrainingJob: api.training,
    createHyperParameterTuningJob: api.tuning,
    createProcessingJob: api.processing,
    createModel: api.model,
};

// arn:<partition>:states:::sagemaker:<api>[.sync|.sync:2|.waitForTaskToken], and the AWS SDK
// integration arn:<partition>:states:::aws-sdk:sagemaker:<api>. The partition may be templated.
const SFN_RESOURCE = /^arn:.*:states:::(?:aws-sdk:)?sagemaker:([A-Za-z]+)(?:\.(?:sync(?::2)?|waitForTaskToken))?$/;

/** Task states calling SageMaker, at any depth of Parallel branches and Map processors. */
export function stateMachineWorkloads(doc: unknown, base: string, stateLabel: Labeller = label): Workload[] {
    const out: Workload[] = [];
    const todo: { machine: unknown; path: string; jsonata: boolean }[] = [{ machine: doc, path: base, jsonata: false }];
    for (let item = todo.pop(); item; item = todo.pop()) {
        const { machine, path } = item;
        if (!isObj(machine) || !isObj(machine["States"])) {
            continue;
        }
        const jsonata = machine["QueryLanguage"] === undefined ? item.jsonata : machine["QueryLanguage"] === "JSONata";
        const pending: typeof todo = [];
        for (const [name, state] of Object.entries(machine["States"])) {
            if (!isObj(state)) {
                continue;
            }
            const spath = shortPath(`${join(path, "States")}.${stateLabel(name)}`);
            const ql = state["QueryLanguage"] === undefined ? jsonata : state["QueryLanguage"] === "JSONata";
            const m = state["Type"] === "Task" && typeof state["Resource"] === "string" ? SFN_RESOURCE.exec(state["Resource"]) : null;
            const extract = m ? SFN_TASKS[m[1]] : undefined;
            if (extract) {
                // JSONata states take `Arguments`, JSONPath states `Parameters`; read whichever is set.
                const key = state["Arguments"] !== undefined || (ql && state["Parameters"] === undefined) ? "Arguments" : "Parameters";
                for (const w of extract("asl", read("asl", state, key), join(spath, key))) {
                    out.push(w);
                }
            } else if (state["Type"] === "Parallel" && Array.isArray(state["Branches"])) {
                state["Branches"].forEach((b, i) => pending.push({ machine: b, path: `${spath}.Branches[${i}]`, jsonata: ql }));
            } else if (state["Type"] === "Map") {
                for (const k of ["ItemProcessor", "Iterator"]) {
                    if (isObj(state[k])) {
                        pending.push({ machine: state[k], path: join(spath, k), jsonata: ql });
                    }
                }
            }
        }
        pushReversed(todo, pending);
    }
    return out;
}
