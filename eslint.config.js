// Type-aware linting for every workspace: floating promises and misused promises are bugs in a
// server that runs jobs, so they are errors here.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** The plain-JavaScript scripts that no tsconfig includes; each is typed on its own. */
const SCRIPTS = [
  "scripts/*.mjs",
  "prisma/scripts/*.mjs",
  "bench/*.mjs",
  "bench/tools/*.mjs",
  "e2e/*.mjs",
  "apps/web/scripts/*.mjs",
];

const ENV_IMPORTS = ["process", "node:process"].map((name) => ({
  name,
  importNames: ["env"],
  message:
    "Read the environment only in apps/api/src/config.ts and pass the parsed Config along; entry points pass processEnvironment() from there.",
}));

const ENV_MESSAGE =
  "Read the environment only in apps/api/src/config.ts and pass the parsed Config along; entry points pass processEnvironment() from there.";

export default tseslint.config(
  {
    // Plain .js files are test fixtures (some broken on purpose) and an example to copy.
    ignores: ["**/dist/**", "**/generated/**", "**/node_modules/**", "**/*.js", "**/*.cjs"],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: SCRIPTS },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Plain JavaScript: everything untyped is `any`, so the rules that police `any` in TypeScript
    // would flag every JSON.parse; the promise rules and JavaScript's own still apply.
    files: ["**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
    files: ["**/test/**/*.ts", "**/*.test.ts", "**/*.test.tsx", "e2e/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["apps/web/**/*.tsx", "apps/web/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // create-t3-turbo's restrictEnvAccess: the environment is read in one module and parsed there.
    files: ["apps/api/src/**/*.ts", "apps/web/src/**/*.ts", "apps/web/src/**/*.tsx"],
    ignores: ["apps/api/src/config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: ENV_MESSAGE }],
      "no-restricted-imports": ["error", { paths: ENV_IMPORTS }],
    },
  },
  {
    // The dashboard's lib/ (API client, query keys, session, router) sits below its features: a
    // feature may use lib/, never the other way round.
    files: ["apps/web/src/lib/**/*.ts", "apps/web/src/lib/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ENV_IMPORTS,
          patterns: [{ group: ["**/features/**"], message: "lib/ must not import from features/." }],
        },
      ],
    },
  },
);
