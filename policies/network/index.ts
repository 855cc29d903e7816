/**
 * The stack's network, for the VPC endpoints policy: ./graph holds what is connected (VPCs,
 * subnets, route tables, ./endpoints, ./routes), ./reachability what carries a workload's
 * traffic; ./subjects what the policy judges, ./settings its settings, ./messages its findings;
 * ./components the inference components whose endpoint configuration the stack does not declare.
 */
export { componentNotes } from "./components";
export { dualStackEgress } from "./ipv6";
export { Network } from "./reachability";
export { ResourceReport } from "./messages";
export { mayBeJudged, subject } from "./subjects";
export { StackIndex } from "./stack";
export { readSettings, SETTINGS } from "./settings";
