/**
 * The stack's network, for the VPC endpoints policy: ./graph holds what is connected (VPCs,
 * subnets, route tables, endpoints), ./reachability what carries a workload's traffic.
 */
export { regionOf, serviceName } from "./graph";
export type { Subnet, Vpc } from "./graph";
export { mergeWhy, Network } from "./reachability";
export type { Placement, Why } from "./reachability";
