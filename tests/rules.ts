/**
 * The pack's policies as the SDK runs them, by rule, for the tests that exercise several
 * (fuzz, real-world definitions, records). Names come from the rule files, never from literals.
 */
import { policyFor } from "../policies/pack";
import framework from "../policies/rules/sagemaker-framework-isolation-compatibility";
import marketplace from "../policies/rules/sagemaker-marketplace-network-isolation";
import model from "../policies/rules/sagemaker-model-network-isolation";
import processing from "../policies/rules/sagemaker-processing-network-isolation";
import training from "../policies/rules/sagemaker-training-network-isolation";
import vpcEndpoints from "../policies/rules/sagemaker-vpc-endpoints";

export const modelNetworkIsolation = policyFor(model);
export const trainingNetworkIsolation = policyFor(training);
export const processingNetworkIsolation = policyFor(processing);
export const marketplaceNetworkIsolation = policyFor(marketplace);
export const frameworkIsolationCompatibility = policyFor(framework);
export const vpcEndpointsPolicy = policyFor(vpcEndpoints);
