// Environment policy for run processes, and masking of secret values in anything we report.
import os from "node:os";

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;
/** Shorter values would mask ordinary words and numbers all over the report. */
const MIN_SECRET_LENGTH = 4;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The child's whole environment: PATH, HOME and TMPDIR, the `passEnv` names taken from the parent, then the
 * configured `env` values (placeholders for secrets). NODE_OPTIONS and everything else stay out, so a page
 * behaves the same on every machine.
 */
export function childEnv(parent: NodeJS.ProcessEnv, passEnv: readonly string[], env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["PATH", "HOME"]) {
    const value = parent[name];
    if (value !== undefined) out[name] = value;
  }
  out.TMPDIR = parent.TMPDIR ?? os.tmpdir();
  for (const name of passEnv) {
    const value = parent[name];
    if (value !== undefined) out[name] = value;
  }
  Object.assign(out, env);
  return out;
}

/** Values to hide: every parent env var whose name looks secret. */
export function secretValues(parent: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(parent)) {
    if (value && value.length >= MIN_SECRET_LENGTH && isSecretName(name)) values.add(value);
  }
  // Longest first, so a secret containing another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("***");
  return out;
}
