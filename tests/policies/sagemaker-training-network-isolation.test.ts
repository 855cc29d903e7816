import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-training-network-isolation";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
