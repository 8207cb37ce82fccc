// The watchdog: a small process started with each run stage that outlives validate-docs if validate-docs is killed
// with SIGKILL (no handler runs then). It polls its parent; when the parent is gone it kills every process group and
// stray the run registered in the registry file (src/run/cleanup.ts appends to it), removes the temp dirs, and exits.
// It also exits when the registry file is removed (the run stage ended normally).
//   argv: <registry file> <run token> <parent pid>
import fs from "node:fs";
import { killStrays } from "./strays.js";

const [registry, token, parentArg] = process.argv.slice(2);
const parent = Number(parentArg);
const POLL_MS = 200;

/** Replays the registry: what is still registered at the end. */
function live(): { groups: Set<number>; dirs: Set<string> } {
  const groups = new Set<number>();
  const dirs = new Set<string>();
  let text = "";
  try {
    text = fs.readFileSync(registry!, "utf8");
  } catch {
    return { groups, dirs };
  }
  for (const line of text.split("\n")) {
    const [op, kind, ...rest] = line.split(" ");
    const value = rest.join(" ");
    if (!op || !kind || !value) continue;
    if (kind === "group") {
      if (op === "+") groups.add(Number(value));
      else groups.delete(Number(value));
    } else if (kind === "dir") {
      if (op === "+") dirs.add(value);
      else dirs.delete(value);
    }
  }
  return { groups, dirs };
}

function cleanUp(): void {
  const { groups, dirs } = live();
  for (const pid of groups) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  if (token) killStrays(token);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(registry!, { force: true });
}

// Interrupts are for validate-docs itself to handle; the watchdog only acts when its parent is gone.
for (const signal of ["SIGINT", "SIGHUP"] as const) process.on(signal, () => {});

const timer = setInterval(() => {
  if (process.ppid !== parent) {
    clearInterval(timer);
    cleanUp();
    return;
  }
  if (!fs.existsSync(registry!)) clearInterval(timer);
}, POLL_MS);
