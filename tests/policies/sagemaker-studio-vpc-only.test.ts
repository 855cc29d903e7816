import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-studio-vpc-only";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
