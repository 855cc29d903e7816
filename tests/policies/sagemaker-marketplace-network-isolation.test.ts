import { marketplaceNetworkIsolation } from "../../policies/marketplaceIsolation";
import { describeFixtures } from "./fixtures";

describeFixtures(marketplaceNetworkIsolation);
