import { policyFor } from "../../policies/pack";
import rule from "../../policies/rules/sagemaker-framework-isolation-compatibility";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
