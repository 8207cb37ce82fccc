// Secret values from the parent environment never reach a report: findings are masked as a last step.
import type { Finding } from "./types.js";

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;

/** Shorter values would mask ordinary words and numbers all over the report. */
const MIN_SECRET_LENGTH = 6;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Values of parent env vars whose names look secret, longest first (so a secret containing another is masked whole). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_SECRET_LENGTH && isSecretName(name)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("***");
  return out;
}

export function maskSecrets(findings: Finding[], secrets: readonly string[]): Finding[] {
  if (!secrets.length) return findings;
  return findings.map((f) => ({
    ...f,
    message: maskText(f.message, secrets),
    ...(f.hint !== undefined ? { hint: maskText(f.hint, secrets) } : {}),
    ...(f.suggestion !== undefined ? { suggestion: maskText(f.suggestion, secrets) } : {}),
    // A fix is text that --update/--fix writes into the docs: a secret must never land there either.
    ...(f.fix !== undefined ? { fix: { ...f.fix, text: maskText(f.fix.text, secrets) } } : {}),
  }));
}
