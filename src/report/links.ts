// Links reporters put in their output. Pure: everything comes from the finding and the tool version.

/** Built-in rules ship their doc as docs/rules/<id>.md in the package (see rules/index.ts). */
const BUILTIN_RULE_DOCS = new Set(["no-init-instrumentors", "no-banned-api", "no-deprecated", "no-floating-promise"]);

/** The rule's own doc URL (`meta.docs.url`), else the versioned doc of a built-in rule as published in the package. */
export function ruleDocUrl(f: { ruleId: string; url?: string }, version: string): string | undefined {
  if (f.url) return f.url;
  if (BUILTIN_RULE_DOCS.has(f.ruleId)) return `https://unpkg.com/validate-docs@${version}/docs/rules/${f.ruleId}.md`;
  return undefined;
}
