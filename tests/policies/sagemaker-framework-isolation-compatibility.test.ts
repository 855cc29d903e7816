import { frameworkIsolationCompatibility } from "../../policies/frameworkCompatibility";
import { describeFixtures } from "./fixtures";

describeFixtures(frameworkIsolationCompatibility);
