import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-remote-access";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
