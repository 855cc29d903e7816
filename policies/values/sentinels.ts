/**
 * The Pulumi engine's encodings of special property values on the plugin protocol, defined
 * once for the pack, the check command and the tests (tests/policies/sentinels.test.ts checks
 * them against @pulumi/policy and @pulumi/pulumi).
 */

/** The engine's unknown value: what it sends for a value not known during preview (any computed value). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** All seven unknown sentinels (boolean, number, string, array, asset, archive, object), as @pulumi/policy knows them. */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    UNKNOWN_SENTINEL,
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/** The key that marks a special object (secret, asset, archive, ...) and the value that marks a secret. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A secret as the engine sends it to an analyzer: `{sig: secret, value}`. */
export function secretEnvelope(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}
