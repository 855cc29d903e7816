/** The pack's one definition of the engine's special values agrees with the SDKs the engine speaks through. */
import * as assert from "assert";
import { SECRET_SIG, SECRET_SIG_KEY, secretEnvelope, UNKNOWN_SENTINEL, UNKNOWN_SENTINELS } from "../../policies/values/sentinels";

describe("engine sentinels", () => {
    it("match @pulumi/policy's unknown sentinels and @pulumi/pulumi's signatures", () => {
        const proxy = require("@pulumi/policy/proxy");
        assert.deepStrictEqual(UNKNOWN_SENTINELS, [proxy.unknownBooleanValue, proxy.unknownNumberValue, proxy.unknownStringValue,
            proxy.unknownArrayValue, proxy.unknownAssetValue, proxy.unknownArchiveValue, proxy.unknownObjectValue]);
        const rpc = require("@pulumi/pulumi/runtime/rpc");
        assert.strictEqual(UNKNOWN_SENTINEL, rpc.unknownValue);
        assert.deepStrictEqual([SECRET_SIG_KEY, SECRET_SIG], [rpc.specialSigKey, rpc.specialSecretSig]);
        assert.deepStrictEqual(secretEnvelope(1), { [rpc.specialSigKey]: rpc.specialSecretSig, value: 1 });
    });
});
