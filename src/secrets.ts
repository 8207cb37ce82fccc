// Secret values from the parent environment never reach a report: findings are masked as a last step.
import type { ResolvedConfig } from "./config-types.js";
import type { Finding } from "./types.js";

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;

/** Values of parent env vars whose names look secret (and of vars passed through with passEnv), longest first. */
export function secretValues(config: Pick<ResolvedConfig, "passEnv">, env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (SECRET_NAME.test(name) || (config.passEnv.includes(name) && SECRET_NAME.test(name))) values.add(value);
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
  }));
}
