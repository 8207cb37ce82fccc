// Environment policy for run processes. Masking secrets in reports lives in src/secrets.ts.
import os from "node:os";

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
