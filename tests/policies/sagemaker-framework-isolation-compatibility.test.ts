import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-framework-isolation-compatibility";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
