// The `init-hook` command: installs the git pre-push hook (src/templates/hook.ts). Its own module, so cli.ts runs it
// without loading commands.js (the compiler, remark, the pipeline).
import path from "node:path";
import { EXIT, type Flags } from "./cli-options.js";
import { installHook } from "./templates/hook.js";

/** `init-hook [--command "…"]`: 0 when installed or updated, 1 when an existing foreign hook was left alone. */
export function initHook(flags: Flags): number {
  const root = path.resolve(flags.root ?? process.cwd());
  const base = flags.command ?? "npx --no-install validate-docs";
  const command = flags.config ? `${base} --config ${shellQuote(flags.config)}` : base;
  const r = installHook(root, { command });
  if (r.status === "refused") {
    process.stderr.write(`validate-docs: ${r.message}\n`);
    return EXIT.findings;
  }
  process.stdout.write(`${r.message}\n`);
  return EXIT.ok;
}

function shellQuote(s: string): string {
  return /^[\w./:@=-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
