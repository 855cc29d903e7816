/**
 * Property-based tests of every policy. `npm test` runs a small number of inputs per policy;
 * `npm run fuzz` sets FUZZ_RUNS (inputs per policy, at least 100,000) and FUZZ_HUGE.
 */
import { countsTable, defineFuzzSuites } from "./properties";

const total = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : 300;
const huge = Number(process.env.FUZZ_HUGE) >= 0 && process.env.FUZZ_HUGE !== undefined ? Number(process.env.FUZZ_HUGE) : 1;

describe(`fuzz (${total} inputs per policy)`, function () {
    this.timeout(0);
    defineFuzzSuites(total, huge);
    after(() => {
        console.log(countsTable());
    });
});
