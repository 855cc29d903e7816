/**
 * Mocha root hooks: each test starts as a freshly configured pack would. The engine configures a
 * pack process once; the tests run policies under many configurations in one process.
 */
import { forgetUnknownSettings } from "../policies/frame/frame";

export const mochaHooks = {
    beforeEach(): void {
        forgetUnknownSettings();
    },
};
