import { processingNetworkIsolation } from "../../policies/processingIsolation";
import { describeFixtures } from "./fixtures";

describeFixtures(processingNetworkIsolation);
