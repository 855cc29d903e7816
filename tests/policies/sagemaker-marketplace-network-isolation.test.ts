import { policyFor } from "../../policies/pack";
import rule from "../../policies/rules/sagemaker-marketplace-network-isolation";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
