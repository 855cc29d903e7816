import { vpcEndpoints } from "../../policies/vpcEndpoints";
import { describeFixtures } from "./fixtures";

describeFixtures(vpcEndpoints);
