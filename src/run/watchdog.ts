// The watchdog: a small process started with each run stage that outlives validate-docs if validate-docs is killed
// with SIGKILL (no handler runs then). It is a POSIX shell, not a Node process: it does nothing until its stdin
// reaches end of file, so it costs ≈ 1 ms of CPU per run instead of a Node start-up (≈ 50–70 ms). Its stdin is a
// pipe whose other end only the run stage holds (libuv opens it close-on-exec, so no other child inherits it): the
// kernel closes that end when validate-docs exits or dies, or the run stage's thread ends, and `end()` closes it
// when the run stage is done. Then, if the registry file is gone (the run stage ended and cleaned up after itself),
// it exits; otherwise it kills every process group the registry still lists (src/run/cleanup.ts appends to it),
// every process carrying the run's token (strays.ts), removes the temp dirs the registry still lists and the
// registry, and exits.
//   $1 <registry file>  $2 <run token>
import { spawn, type ChildProcess } from "node:child_process";
import { RUN_TOKEN_ENV } from "./strays.js";

/** The script; `$0` names it in `ps`, `$1` and `$2` are the registry and the token. */
export const WATCHDOG_SCRIPT = `
trap '' INT HUP
while read -r _; do :; done
[ -e "$1" ] || exit 0
live=$(awk '{ v = substr($0, length($1) + length($2) + 3) }
  $2 == "group" { if ($1 == "+") g[v] = 1; else delete g[v] }
  $2 == "dir" { if ($1 == "+") d[v] = 1; else delete d[v] }
  END { for (k in g) print "group " k; for (k in d) print "dir " k }' "$1")
printf '%s\\n' "$live" | while IFS= read -r line; do
  case $line in "group "*) kill -s KILL -- "-\${line#group }" 2>/dev/null ;; esac
done
needle="${RUN_TOKEN_ENV}=$2"
if printf 'x\\0' | grep -qzx x 2>/dev/null; then
  strays=$(grep -lzxF -e "$needle" /proc/[0-9]*/environ 2>/dev/null)
else
  strays=$(for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f" 2>/dev/null | grep -qxF -e "$needle" && echo "$f"; done)
fi
for f in $strays; do
  p=\${f#/proc/}
  kill -s KILL "\${p%/environ}" 2>/dev/null
done
printf '%s\\n' "$live" | while IFS= read -r line; do
  case $line in "dir "*) rm -rf -- "\${line#dir }" ;; esac
done
rm -f -- "$1"
`;

/**
 * Starts the watchdog of a run stage. Returns it, or undefined when no POSIX shell could be started (no watchdog:
 * interrupts are still handled in-process). `child.stdin` is the pipe whose end of file wakes it.
 */
export function spawnWatchdog(registry: string, token: string): ChildProcess | undefined {
  try {
    const child = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, "validate-docs-watchdog", registry, token], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
    child.on("error", () => {});
    child.stdin?.on("error", () => {});
    child.unref();
    return child.pid === undefined ? undefined : child;
  } catch {
    return undefined;
  }
}
