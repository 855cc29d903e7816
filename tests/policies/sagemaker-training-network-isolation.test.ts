import { trainingNetworkIsolation } from "../../policies/trainingIsolation";
import { describeFixtures } from "./fixtures";

describeFixtures(trainingNetworkIsolation);
