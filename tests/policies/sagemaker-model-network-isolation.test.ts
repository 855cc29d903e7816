import { modelNetworkIsolation } from "../../policies/modelIsolation";
import { describeFixtures } from "./fixtures";

describeFixtures(modelNetworkIsolation);
