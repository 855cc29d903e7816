import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-inter-container-encryption";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
