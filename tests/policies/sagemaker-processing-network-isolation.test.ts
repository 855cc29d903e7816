import { policyFor } from "../../policies/pack";
import rule from "../../policies/rules/sagemaker-processing-network-isolation";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
