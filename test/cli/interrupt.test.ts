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
      "validate-docs.config.json": JSON.stringify({ passEnv: ["PIDS_FILE"] }),
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
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (code) => resolve(code)));
    for (let i = 0; i < 600 && !fs.existsSync(pidsFile); i++) await new Promise((r) => setTimeout(r, 50));
    const pids = fs.readFileSync(pidsFile, "utf8").trim().split(" ").map(Number);
    expect(pids.every(isAlive)).toBe(true);
    cli.kill(signal);
    expect(await exited).toBe(signal === "SIGINT" ? 130 : 143);
    expect(stderr).toContain("interrupted");
    for (let i = 0; i < 40 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(fs.existsSync(path.join(dir, ".validate-docs"))).toBe(false);
  });
}
