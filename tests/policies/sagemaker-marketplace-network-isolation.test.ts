import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-marketplace-network-isolation";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
