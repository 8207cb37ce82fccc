// Atomic file writes: a temp file in the same directory, then a rename, so readers never see half a file.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";

export function writeFileAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

const LOCK = ".validate-docs-lock";

/** True while a process with this pid exists (EPERM: it exists, but is not ours to signal). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` while holding `dir`'s lock (a `.validate-docs-lock` directory in it, made with an atomic mkdir), so two
 * runs writing one report dir take turns: each reads the other's manifest whole instead of finding its files written
 * and its manifest not yet. A lock whose owner process is gone (killed mid-write) is taken over. Waits at most
 * `timeoutMs`, then fails with the owner's pid. When `dir` cannot be made (a file is in the way), `fn` runs unlocked
 * and meets the same error itself, with its own message.
 */
export function withDirLock<T>(dir: string, fn: () => T, timeoutMs = 60_000): T {
  const lock = path.join(dir, LOCK);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return fn();
  }
  const deadline = Date.now() + timeoutMs;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
    } catch {
      // The owner made the directory and has not written its pid yet, or just released the lock.
    }
    if (Number.isInteger(owner) && owner > 0 && !processExists(owner)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const shown = path.relative(process.cwd(), lock) || lock;
      throw new UsageError(
        `cannot write the reports: ${shown} has been held by process ${Number.isNaN(owner) ? "(unknown)" : owner} for more than ${timeoutMs / 1000} s (another validate-docs run writing to the same directory)`,
        `wait for that run to end, pass --out with a directory of its own, or remove ${shown} if no validate-docs is running`,
      );
    }
    Atomics.wait(nap, 0, 0, 20);
  }
  try {
    fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
