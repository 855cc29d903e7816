// `npm run lint`: typescript-eslint's recommended rules with type information, over the pack,
// the check command, the tests, the benchmark and the examples.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/", "node_modules/", "examples/**/node_modules/", "**/*.js", "**/*.mjs"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
        },
        languageOptions: {
            parserOptions: { project: ["./tests/tsconfig.json", "./examples/tsconfig.json"], tsconfigRootDir: import.meta.dirname },
        },
    },
    {
        // Tests read the check command's JSON and SARIF output and protocol messages as plain
        // JSON values: there, `any` flowing from JSON.parse is the point, not a risk.
        files: ["tests/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            // The policy SDK's server and proxy modules are internal (no typings): the tests
            // drive the SDK's own RPC handlers with them, as the SDK's own tests do.
            "@typescript-eslint/no-require-imports": ["error", { allow: ["^@pulumi/policy/(server|proxy)$", "^@pulumi/pulumi/runtime/rpc$"] }],
        },
    },
);
