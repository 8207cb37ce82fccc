// Ctrl-C / CI cancel: the CLI stops every example process (and grandchild) and removes its temp dirs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { BIN, isAlive, makeProject, TSCONFIG } from "../helpers.js";

// SIGINT only, here and below: one handler on the main thread answers SIGINT and SIGTERM alike (src/cli.ts
// installInterruptHandlers, exit 130 or 143); SIGTERM's exit 143 while examples run and while the config loads, with
// nothing of the run left, is test/hostile/cases.test.ts's.
for (const signal of ["SIGINT"] as const) {
  it(`${signal} mid-run: exit ${signal === "SIGINT" ? 130 : 143}, no example process or temp dir left`, async () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "validate-docs.config.json": JSON.stringify({ passEnv: ["PIDS_FILE"], sandbox: { childProcess: true, write: ["."] } }),
      "docs/busy.md": [
        "```ts",
        "const cp = await import('node:child_process');",
        "const fs = await import('node:fs');",
        "const child = cp.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });",
        "fs.writeFileSync(process.env.PIDS_FILE!, process.pid + ' ' + child.pid);",
        "while (true) {}",
        "```",
      ].join("\n"),
    });
    const pidsFile = path.join(dir, "pids.txt");
    const cli = spawn(process.execPath, [BIN, "--no-color", "--no-typecheck", "--no-lint", "--timeout", "60000"], {
      cwd: dir,
      env: { ...process.env, PIDS_FILE: pidsFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    cli.stderr.on("data", (d) => (stderr += d));
    let done = false;
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (code) => ((done = true), resolve(code))));
    // No fixed deadline (a loaded machine can take long to start the example); the test timeout guards a hang.
    // The file exists from the moment writeFileSync opens it, before its text is written: wait for both pids.
    const written = () => (fs.existsSync(pidsFile) && /^\d+ \d+$/.test(fs.readFileSync(pidsFile, "utf8")) ? fs.readFileSync(pidsFile, "utf8") : undefined);
    while (!written() && !done) await new Promise((r) => setTimeout(r, 50));
    const text = written();
    if (!text) throw new Error(`the CLI exited before the example started:\n${stderr}`);
    const pids = text.split(" ").map(Number);
    expect(pids.every(isAlive)).toBe(true);
    cli.kill(signal);
    expect(await exited).toBe(signal === "SIGINT" ? 130 : 143);
    expect(stderr).toContain("interrupted");
    for (let i = 0; i < 200 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(fs.existsSync(path.join(dir, ".validate-docs"))).toBe(false);
  });
}

/** Processes whose environment holds `entry` (NAME=value): a run's runners and examples carry what passEnv passes on. */
function processesWith(entry: string): number[] {
  return fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry);
    } catch {
      return false; // gone meanwhile
    }
  });
}

// Issue 20.3: the checker and lint rules are synchronous; a signal that arrives while they work must still stop the
// run. A user rule holds the checking thread (synchronously) until the example has started, then for `hold` ms more:
// - on the analysis worker thread (where a project's rules run): the signal is answered at once, before the rule
//   is done (it holds for 20 s);
// - on the main thread (a small analysis runs there, docs/performance.md; a project rule only when
//   VALIDATE_DOCS_ANALYZE_INLINE is set), the run stage on its own thread (VALIDATE_DOCS_RUN_INLINE=0, as for a run of
//   more pages): the example still starts (the run stage's thread is not held up), runs into its 1 s timeout and the
//   run stage ends while the rule holds for 5 s, so the stage's outcome waits beside the signal; the signal, sent
//   while the rule holds, is answered when the check is done, and not lost to the run finishing and writing its
//   reports first;
// - on the main thread with the run stage there too (a small run's default): the example's page waits for the check
//   (its clock runs on that thread), so the rule holds for 5 s without waiting for it; the signal, sent meanwhile,
//   is answered once the check is done, the example never started and its runner process is gone.
const cases = [
  { signal: "SIGINT", thread: "worker", stage: "main", hold: 20_000, timeout: 60_000 },
  { signal: "SIGINT", thread: "main", stage: "worker", hold: 5_000, timeout: 1_000 },
  { signal: "SIGINT", thread: "main", stage: "main", hold: 5_000, timeout: 60_000 },
] as const;
for (const { signal, thread, stage, hold, timeout } of cases) {
  const code = signal === "SIGINT" ? 130 : 143;
  const when = thread === "worker" ? "before it finishes" : "once it finishes";
  // The example starts while the rule holds unless both the check and the run stage's clock are on the main thread.
  const starts = thread === "worker" || stage === "worker";
  it(`${signal} while the checker is busy on the ${thread} thread (synchronous rule code), the run stage on the ${stage} thread: exit ${code} ${when}, nothing left`, async () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "validate-docs.config.json": JSON.stringify({ passEnv: ["PIDS_FILE"], sandbox: { childProcess: true, write: ["."] }, plugins: { busy: "rules/busy.mjs" }, rules: { busy: "error" } }),
      "rules/busy.mjs": [
        "import fs from 'node:fs';",
        "const hold = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);",
        "let held = false;",
        "export default {",
        "  meta: { description: 'holds the checking thread', messages: { never: 'never' } },",
        "  create() {",
        "    if (!held) {",
        "      held = true;",
        `      for (let i = 0; i < ${starts ? 6000 : 0} && !fs.existsSync(process.env.PIDS_FILE); i++) hold(20);`,
        "      fs.writeFileSync(process.env.LINT_MARK + '.started', '');",
        `      hold(${hold});`,
        "      fs.writeFileSync(process.env.LINT_MARK + '.finished', String(Date.now()));",
        "    }",
        "    return {};",
        "  },",
        "};",
      ].join("\n"),
      "docs/busy.md": [
        "```ts",
        "const cp = await import('node:child_process');",
        "const fs = await import('node:fs');",
        "const child = cp.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });",
        "fs.writeFileSync(process.env.PIDS_FILE!, process.pid + ' ' + child.pid);",
        "// Runs until stopped (or the run's timeout).",
        "setInterval(() => {}, 1000);",
        "await new Promise(() => {});",
        "```",
      ].join("\n"),
    });
    const pidsFile = path.join(dir, "pids.txt");
    const mark = path.join(dir, "lint");
    const cli = spawn(process.execPath, [BIN, "--no-color", "--timeout", String(timeout)], {
      cwd: dir,
      env: {
        ...process.env,
        PIDS_FILE: pidsFile,
        LINT_MARK: mark,
        VALIDATE_DOCS_DEBUG: "analyze,run",
        ...(thread === "main" ? { VALIDATE_DOCS_ANALYZE_INLINE: "40" } : {}),
        VALIDATE_DOCS_RUN_INLINE: stage === "main" ? "1" : "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    cli.stderr.on("data", (d) => (stderr += d));
    let done = false;
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (c) => ((done = true), resolve(c))));
    // No fixed deadline (a loaded machine can take long to start the example); the test timeout guards a hang.
    while (!fs.existsSync(`${mark}.started`) && !done) await new Promise((r) => setTimeout(r, 50));
    if (!fs.existsSync(`${mark}.started`)) throw new Error(`the CLI exited before the rule saw the example start:\n${stderr}`);
    const pids = starts ? fs.readFileSync(pidsFile, "utf8").trim().split(" ").map(Number) : [];
    if (thread === "worker") expect(pids.every(isAlive)).toBe(true);
    // The page's runner process was started before the check (only its page waits): it is there to be stopped.
    if (!starts) expect(processesWith(`PIDS_FILE=${pidsFile}`)).not.toEqual([]);
    const sent = Date.now();
    cli.kill(signal);
    expect(await exited, stderr).toBe(code);
    expect(stderr).toContain(`type-check and lint on ${thread === "main" ? "the calling thread" : "a worker thread"}`);
    expect(stderr).toContain(`run: examples driven from ${stage === "main" ? "the calling thread" : "a worker thread"}`);
    expect(stderr).toContain("interrupted");
    // Held while this thread checked: the example never started.
    if (!starts) expect(fs.existsSync(pidsFile)).toBe(false);
    if (thread === "worker") {
      // The rule never got to its end: the run stopped while the checker thread was working.
      expect(fs.existsSync(`${mark}.finished`)).toBe(false);
    } else {
      // Sent while the main thread checked, and answered once the check was done.
      expect(Number(fs.readFileSync(`${mark}.finished`, "utf8"))).toBeGreaterThan(sent);
    }
    for (let i = 0; i < 200 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(isAlive)).toEqual([]);
    for (let i = 0; i < 200 && processesWith(`PIDS_FILE=${pidsFile}`).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(processesWith(`PIDS_FILE=${pidsFile}`)).toEqual([]);
    expect(fs.existsSync(path.join(dir, ".validate-docs"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "reports"))).toBe(false);
  });
}
