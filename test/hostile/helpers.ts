// The hostile suite's harness: the real CLI in a subprocess (async, so cases run side by side), and the checks
// every case makes: the expected exit code (never 0 when something failed), no process of the run left in the
// process table, and reports that are valid JSON or absent.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { BIN, fence, pageOf, ruleIds } from "../helpers.js";

export { fence, pageOf, ruleIds };
/** The JSON report is the result type itself (src/types.ts). */
export type { CheckResult as Index, Finding as ReportFinding, PageResult as ReportPage } from "../../src/types.js";
import type { CheckResult as Index } from "../../src/types.js";

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The CLI's pid: the run token of its page processes starts with it. */
  pid: number;
}

export interface Started {
  proc: ChildProcess;
  done: Promise<Run>;
}

const OUTPUT_CAP = 4 * 1024 * 1024;

/** Starts the built CLI in `cwd`; `done` settles when it exits (stdout/stderr kept up to 4 MB each). */
export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Started {
  const proc = spawn(process.execPath, [BIN, "--no-color", ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
    if (stdout.length < OUTPUT_CAP) stdout += d;
  });
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => {
    if (stderr.length < OUTPUT_CAP) stderr += d;
  });
  const done = new Promise<Run>((resolve) => {
    proc.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, pid: proc.pid! }));
  });
  return { proc, done };
}

export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return startCli(args, cwd, env).done;
}

/**
 * Processes that belong to the run of CLI `pid`: their environment carries the run token (page processes and
 * everything they start) or their command line names the project directory.
 */
export function processesOf(pid: number, dir?: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  const token = Buffer.from(`VALIDATE_DOCS_RUN=${pid}-`);
  const watchdog = new RegExp(`\\b${pid}-[0-9a-f]{12}\\b`);
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z") continue; // a zombie is dead, waiting to be reaped
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      if (environ.includes(token) || watchdog.test(cmd) || (dir !== undefined && cmd.includes(dir))) found.push({ pid: Number(entry), cmd });
    } catch {
      /* gone */
    }
  }
  return found;
}

/** Waits up to `ms` for the run's processes to be gone (a killed process is reaped a moment later). */
export async function expectNoLeftovers(pid: number, dir?: string, ms = 10_000): Promise<void> {
  let left = processesOf(pid, dir);
  for (let waited = 0; left.length && waited < ms; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesOf(pid, dir);
  }
  expect(left, "processes of the run left behind").toEqual([]);
}

/** Every .json file under the report dir parses (a torn or partial report is a defect); returns their count. */
export function expectValidReports(out: string): number {
  if (!fs.existsSync(out)) return 0;
  let count = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".json")) {
        const text = fs.readFileSync(file, "utf8");
        expect(() => JSON.parse(text), `${file} is not valid JSON`).not.toThrow();
        count++;
      }
    }
  };
  walk(out);
  return count;
}


export function readIndex(out: string): Index {
  return JSON.parse(fs.readFileSync(path.join(out, "index.json"), "utf8")) as Index;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `file` exists (a block wrote it), up to `ms`. */
export async function waitForFile(file: string, ms = 60_000): Promise<void> {
  for (let waited = 0; !fs.existsSync(file); waited += 50) {
    if (waited > ms) throw new Error(`timed out waiting for ${file}`);
    await sleep(50);
  }
}
