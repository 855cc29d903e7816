import { policyFor } from "../../policies/pack";
import rule from "../../policies/rules/sagemaker-vpc-endpoints";
import { describeFixtures } from "./fixtures";

describeFixtures(policyFor(rule));
