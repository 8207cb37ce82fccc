// withDirLock (src/report/writer.ts): the report dir's lock, on real directories. The CLI-level cases (a run waits for a
// live holder, takes over a dead one's lock, two runs at once) are in test/hostile/cases.test.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { withDirLock } from "../../src/report/writer.js";
import { tempDir } from "../helpers.js";

const holdWith = (dir: string, pid: number): string => {
  const lock = path.join(dir, ".validate-docs-lock");
  fs.mkdirSync(lock, { recursive: true });
  fs.writeFileSync(path.join(lock, "pid"), String(pid));
  return lock;
};

it("runs the function under the lock and removes the lock after it, also when it throws", () => {
  const dir = tempDir();
  expect(withDirLock(dir, () => fs.existsSync(path.join(dir, ".validate-docs-lock", "pid")))).toBe(true);
  expect(fs.existsSync(path.join(dir, ".validate-docs-lock"))).toBe(false);
  expect(() => withDirLock(dir, () => { throw new Error("boom"); })).toThrow("boom");
  expect(fs.existsSync(path.join(dir, ".validate-docs-lock"))).toBe(false);
});

it("takes over a lock whose owner process is gone", () => {
  const dir = tempDir();
  const gone = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  const lock = holdWith(dir, Number(gone.stdout.trim()));
  expect(withDirLock(dir, () => "ran")).toBe("ran");
  expect(fs.existsSync(lock)).toBe(false);
});

it("gives up on a lock a live process holds past the timeout, with a usage error naming it and what to do", () => {
  const dir = tempDir();
  const lock = holdWith(dir, process.pid); // this very process: alive for the whole test
  let ran = false;
  let error: unknown;
  try {
    withDirLock(dir, () => (ran = true), 200);
  } catch (err) {
    error = err;
  }
  expect(ran).toBe(false);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).message).toContain(`held by process ${process.pid}`);
  expect((error as UsageError).hint).toContain("--out");
  expect(fs.existsSync(lock)).toBe(true); // not ours to remove
});
