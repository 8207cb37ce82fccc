// Once per vitest run (vitest.config.ts `globalSetup`): one directory under os.tmpdir() holds every temp dir the tests
// make (tempDir/makeProject in test/helpers.ts), so nothing is left behind even when a run does not end normally.
// - A file's temp dirs are removed after the file (test/setup.ts); this directory at the end of the run.
// - A run that was killed (Ctrl-C twice, a CI timeout, SIGKILL) leaves its directory; the next run removes every
//   such directory whose run is gone (its pid file names a process that no longer exists). Runs side by side (two
//   worktrees on one machine) keep theirs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { processExists } from "../src/util/fs.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's directory for temp dirs (test/helpers.ts `tempDir`). */
    tempRoot: string;
  }
}

const PREFIX = "vd-tests-";

/**
 * Node reads and parses the certificate bundle NODE_EXTRA_CA_CERTS names at every process start, whether the process
 * makes a TLS connection or not: ≈ 50 ms of CPU each on this repository's 2-core machines, whose environment sets it
 * (`node -e 0`: 0.08 s with it, 0.03 s without), and the suite starts ≈ 240 Node processes that get it (the CLI runs,
 * the vitest forks; the run stage's own processes never do, see src/run/env.ts). None of them makes a TLS connection:
 * the run stage blocks the network and the npm commands run offline or dry. So the tests' processes start without it
 * (the vitest forks and threads take their environment from this process, after this setup). The one command that
 * may reach a registry, test/real's `npm ci` when its packages are missing, gets it back from EXTRA_CA_CERTS_ENV.
 */
export const EXTRA_CA_CERTS_ENV = "VD_TESTS_NODE_EXTRA_CA_CERTS";


/** Removes the directories of earlier runs that are gone. */
function sweep(tmp: string): void {
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(tmp, name);
    let pid: number;
    try {
      pid = Number(fs.readFileSync(path.join(dir, "pid"), "utf8"));
    } catch {
      continue; // being made right now, or not ours
    }
    if (Number.isInteger(pid) && pid > 0 && !processExists(pid)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Vitest calls this once for the root config and once for each project: the first call makes the directory. */
const ROOT_ENV = "VD_TESTS_TEMP_ROOT";

export default function setup(project: TestProject): () => void {
  const made = process.env[ROOT_ENV];
  if (made) {
    project.provide("tempRoot", made);
    return () => {};
  }
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
    process.env[EXTRA_CA_CERTS_ENV] = process.env.NODE_EXTRA_CA_CERTS;
    delete process.env.NODE_EXTRA_CA_CERTS;
  }
  const tmp = os.tmpdir();
  sweep(tmp);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(tmp, PREFIX)));
  fs.writeFileSync(path.join(root, "pid"), String(process.pid));
  process.env[ROOT_ENV] = root;
  project.provide("tempRoot", root);
  return () => {
    fs.rmSync(root, { recursive: true, force: true });
    delete process.env[ROOT_ENV];
    if (process.env[EXTRA_CA_CERTS_ENV] !== undefined) process.env.NODE_EXTRA_CA_CERTS = process.env[EXTRA_CA_CERTS_ENV];
  };
}
