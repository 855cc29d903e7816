/**
 * The stack's network, for the VPC endpoints policy: ./graph holds what is connected (VPCs,
 * subnets, route tables, endpoints, default routes to NAT gateways), ./reachability what carries
 * a workload's traffic.
 */
export { regionOf, serviceName } from "./graph";
export type { Subnet, Vpc } from "./graph";
export { mergeWhy, Network } from "./reachability";
export type { Placement, Why } from "./reachability";
