import { createConfig, lintFromString } from "@redocly/openapi-core";
// CommonJS packages whose named exports Node cannot see from ESM: take them from the default export.
import spectralCore, { type RulesetDefinition } from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import spectralRulesets from "@stoplight/spectral-rulesets";

const { Document, Spectral } = spectralCore;
const { Json } = spectralParsers;
const { oas } = spectralRulesets;

/** A linter's finding, in one shape whichever linter found it. */
export type LintProblem = {
  severity: "error" | "warning" | "other";
  rule: string;
  message: string;
  at: string;
};

/**
 * `redocly lint` with its recommended rules (what the CLI applies without a redocly.yaml), run as
 * the CLI runs it, through @redocly/openapi-core, so nothing is fetched and no telemetry is sent.
 */
export async function lintWithRedocly(document: object): Promise<LintProblem[]> {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({
    source: JSON.stringify(document, null, 2),
    absoluteRef: "/openapi.json",
    config,
  });
  return problems.map((problem) => ({
    severity: problem.severity === "error" ? "error" : problem.severity === "warn" ? "warning" : "other",
    rule: problem.ruleId,
    message: problem.message,
    at: problem.location.map((location) => location.pointer ?? "").join(" "),
  }));
}

/** `spectral lint` with `extends: spectral:oas` (its recommended rules), through spectral's own libraries. */
export async function lintWithSpectral(document: object): Promise<LintProblem[]> {
  const spectral = new Spectral();
  // The ruleset's own type says less than RulesetDefinition requires, though spectral's CLI loads it so.
  spectral.setRuleset({ extends: [[oas as RulesetDefinition, "recommended"]] });
  const results = await spectral.run(new Document(JSON.stringify(document, null, 2), Json, "/openapi.json"));
  return results.map((result) => {
    // DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint.
    const level: number = result.severity;
    return {
      severity: level === 0 ? "error" : level === 1 ? "warning" : "other",
      rule: String(result.code),
      message: result.message,
      at: result.path.join("/"),
    };
  });
}
