/**
 * The pack's policies as the SDK runs them, by rule, for the tests that exercise several
 * (fuzz, real-world definitions, records). Names come from the rule files, never from literals.
 */
import { policyFor } from "../policies/catalogue/index";
import framework from "../policies/rules/sagemaker-framework-isolation-compatibility";
import encryption from "../policies/rules/sagemaker-inter-container-encryption";
import marketplace from "../policies/rules/sagemaker-marketplace-network-isolation";
import model from "../policies/rules/sagemaker-model-network-isolation";
import notebook from "../policies/rules/sagemaker-notebook-network-access";
import processing from "../policies/rules/sagemaker-processing-network-isolation";
import remoteAccess from "../policies/rules/sagemaker-remote-access";
import studio from "../policies/rules/sagemaker-studio-vpc-only";
import training from "../policies/rules/sagemaker-training-network-isolation";
import vpcEndpoints from "../policies/rules/sagemaker-vpc-endpoints";
import workloadsInVpc from "../policies/rules/sagemaker-workloads-in-vpc";

export const modelNetworkIsolation = policyFor(model);
export const trainingNetworkIsolation = policyFor(training);
export const processingNetworkIsolation = policyFor(processing);
export const marketplaceNetworkIsolation = policyFor(marketplace);
export const frameworkIsolationCompatibility = policyFor(framework);
export const vpcEndpointsPolicy = policyFor(vpcEndpoints);
export const notebookNetworkAccess = policyFor(notebook);
export const studioVpcOnly = policyFor(studio);
export const workloadsInVpcPolicy = policyFor(workloadsInVpc);

/** The policies' names, for expectations. */
export const MODEL = model.name;
export const TRAINING = training.name;
export const PROCESSING = processing.name;
export const MARKETPLACE = marketplace.name;
export const FRAMEWORK = framework.name;
export const VPC_ENDPOINTS = vpcEndpoints.name;
export const NOTEBOOK = notebook.name;
export const STUDIO = studio.name;
export const IN_VPC = workloadsInVpc.name;
export const ENCRYPTION = encryption.name;
export const REMOTE_ACCESS = remoteAccess.name;
