// Ctrl-C / CI cancel: the CLI stops every example process (and grandchild) and removes its temp dirs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { BIN, isAlive, makeProject, TSCONFIG } from "../helpers.js";

for (const signal of ["SIGINT", "SIGTERM"] as const) {
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
    while (!fs.existsSync(pidsFile) && !done) await new Promise((r) => setTimeout(r, 50));
    if (!fs.existsSync(pidsFile)) throw new Error(`the CLI exited before the example started:\n${stderr}`);
    const pids = fs.readFileSync(pidsFile, "utf8").trim().split(" ").map(Number);
    expect(pids.every(isAlive)).toBe(true);
    cli.kill(signal);
    expect(await exited).toBe(signal === "SIGINT" ? 130 : 143);
    expect(stderr).toContain("interrupted");
    for (let i = 0; i < 200 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(fs.existsSync(path.join(dir, ".validate-docs"))).toBe(false);
  });
}

// Issue 20.3: the checker and lint rules are synchronous; a signal that arrives while they work must still stop the
// run at once. A user rule that writes a marker, then keeps its thread busy for 20 s, stands for a long check.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  it(`${signal} while the checker is busy (synchronous rule code): exit ${signal === "SIGINT" ? 130 : 143} before it finishes, nothing left`, async () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "validate-docs.config.json": JSON.stringify({ passEnv: ["PIDS_FILE"], sandbox: { childProcess: true, write: ["."] }, plugins: { busy: "rules/busy.mjs" }, rules: { busy: "error" } }),
      "rules/busy.mjs": [
        "import fs from 'node:fs';",
        "export default {",
        "  meta: { description: 'keeps the checker thread busy', messages: { never: 'never' } },",
        "  create() {",
        "    fs.writeFileSync(process.env.LINT_MARK + '.started', '');",
        "    const end = Date.now() + 20000;",
        "    while (Date.now() < end) {}",
        "    fs.writeFileSync(process.env.LINT_MARK + '.finished', '');",
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
        "setInterval(() => {}, 1000);",
        "```",
      ].join("\n"),
    });
    const pidsFile = path.join(dir, "pids.txt");
    const mark = path.join(dir, "lint");
    const cli = spawn(process.execPath, [BIN, "--no-color", "--timeout", "60000"], {
      cwd: dir,
      env: { ...process.env, PIDS_FILE: pidsFile, LINT_MARK: mark },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    cli.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (code) => resolve(code)));
    for (let i = 0; i < 1200 && !(fs.existsSync(pidsFile) && fs.existsSync(`${mark}.started`)); i++) await new Promise((r) => setTimeout(r, 50));
    const pids = fs.readFileSync(pidsFile, "utf8").trim().split(" ").map(Number);
    expect(fs.existsSync(`${mark}.started`)).toBe(true);
    cli.kill(signal);
    expect(await exited).toBe(signal === "SIGINT" ? 130 : 143);
    expect(stderr).toContain("interrupted");
    // The busy rule never got to its end: the run stopped while the checker thread was working.
    expect(fs.existsSync(`${mark}.finished`)).toBe(false);
    for (let i = 0; i < 200 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(fs.existsSync(path.join(dir, ".validate-docs"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "reports"))).toBe(false);
  });
}
