import fc from "fast-check";
import * as arb from "./arbitraries";
const s = fc.sample(fc.tuple(arb.documentText(arb.stateMachineDocument(5)), arb.substitutions), 2000);
let a = 0, b = 0, c = 0;
for (const [d, subs] of s) { if (d.includes("${Name}")) a++; if (JSON.stringify(subs ?? null).includes("S3CR3T")) b++; if (d.includes("${Name}") && /"Name":\{"4dab[^}]*S3CR3T/.test(JSON.stringify(subs ?? null))) c++; }
console.log(a, b, c);
console.log(JSON.stringify(fc.sample(arb.substitutions, 5)));
