import { policyFor } from "../../policies/pack";
import rule from "../../policies/rules/sagemaker-notebook-network-access";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
