import { policyFor } from "../../policies/catalogue/index";
import rule from "../../policies/rules/sagemaker-workloads-in-vpc";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
