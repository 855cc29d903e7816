/**
 * The library: the pack's policies for an organization's own pack (`<package>/policies`).
 *
 *     import { PolicyPack } from "@pulumi/policy";
 *     import { selectPolicies } from "sagemaker-network-isolation/policies";
 *
 *     new PolicyPack("acme", { policies: [...selectPolicies({ severities: ["critical", "high"] }, "mandatory"), ...mine] });
 *
 * Importing it has no side effect: it constructs no PolicyPack, starts no server, prints nothing
 * (the package's main, ../index.ts, is the pack itself). Each policy judges as in this package's
 * own pack, settings by policy name.
 */
export { PACK_NAME, PACK_VERSION, policies } from "./catalogue/index";
export { selectPolicies } from "./catalogue/select";
export type { PolicyFilter } from "./catalogue/select";
