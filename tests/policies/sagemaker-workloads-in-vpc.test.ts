import { policyFor } from "../../policies/pack";
import rule from "../../policies/rules/sagemaker-workloads-in-vpc";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
