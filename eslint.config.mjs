// `npm run lint`: typescript-eslint's recommended rules with type information, over the pack,
// the check command, the tests, the benchmark and the examples.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/", "node_modules/", "examples/**/node_modules/", "**/*.js", "**/*.mjs"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { project: ["./tests/tsconfig.json", "./examples/tsconfig.json"], tsconfigRootDir: import.meta.dirname },
        },
    },
);
