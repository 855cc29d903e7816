import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-vpc-endpoints";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
