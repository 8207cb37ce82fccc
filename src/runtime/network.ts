// No network by default in runs (docs/security.md): the example process may not open a TCP connection, send a UDP
// datagram or resolve a name, except to allowed hosts and to servers this process itself listens on (an example that
// starts a local server and calls it keeps working). Every way Node reaches the network goes through one of the
// patched functions: net.Socket#connect (net, tls, http, https, http2, fetch/undici all connect through it),
// dgram.Socket#send/#connect, and the dns module's lookups and resolvers; fetch is also checked at the call so the
// finding names the block's line. A blocked attempt fails like an offline machine would (ECONNREFUSED-style error)
// and is reported once through `onBlocked`.
// Not stopped (stated in docs/security.md): child processes (curl) and native addons, which the permission sandbox
// denies by default instead, and processes that do not run this guard.
import dgram from "node:dgram";
import dns from "node:dns";
import dnsPromises from "node:dns/promises";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";

export interface Attempt {
  /** Host name or address the example tried to reach. */
  host: string;
  port?: number;
  /** What it called: `fetch`, `net.connect`, `dns.lookup`, `dgram.send`, … */
  via: string;
}

export interface NetworkGuardOptions {
  /** Allowed hosts: `api.example.com`, `*.example.com`, `localhost` (every loopback address), `*` (everything); `host:port` allows one port. */
  allow: readonly string[];
  onBlocked(attempt: Attempt): void;
}

const LOOPBACK_NAMES = new Set(["localhost", "ip6-localhost", "ip6-loopback"]);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return LOOPBACK_NAMES.has(h) || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
}

/** Whether `host:port` is allowed by one of the patterns. */
export function isAllowed(allow: readonly string[], host: string, port?: number): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return allow.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    if (pattern === "*") return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(pattern)!;
    const name = m[1]!.replace(/^\[|\]$/g, "");
    if (m[2] !== undefined && port !== undefined && Number(m[2]) !== port) return false;
    if (name === "localhost" && isLoopback(h)) return true;
    if (name.startsWith("*.")) return h.endsWith(name.slice(1)) || h === name.slice(2);
    return h === name;
  });
}

class NetworkBlockedError extends Error {
  code = "ECONNREFUSED";
  constructor(attempt: Attempt) {
    super(
      `validate-docs blocked network access: ${attempt.via} ${attempt.host}${attempt.port !== undefined ? `:${attempt.port}` : ""} ` +
        "(examples run without network; allow the host with the `network` option)",
    );
    this.name = "NetworkBlockedError";
  }
}

type ConnectArgs = unknown[];

/** host/port of `socket.connect(...)`'s argument forms; undefined for an IPC path (a Unix socket is local). */
function target(args: ConnectArgs): { host: string; port?: number } | undefined {
  let first = args[0];
  // net.connect passes [options, cb] (internally a normalized array with a symbol); unwrap that form too.
  if (Array.isArray(first)) first = first[0];
  if (first && typeof first === "object") {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (o.path !== undefined && o.path !== null) return undefined;
    return { host: typeof o.host === "string" && o.host ? o.host : "localhost", port: o.port === undefined ? undefined : Number(o.port) };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return undefined; // a path
  return { host: typeof args[1] === "string" && args[1] ? args[1] : "localhost", port: first === undefined ? undefined : Number(first) };
}

export function installNetworkGuard(options: NetworkGuardOptions): void {
  const listening = new Set<number>();
  let reported = false;

  const permitted = (host: string, port?: number): boolean => {
    if (isAllowed(options.allow, host, port)) return true;
    // A server this process started: its own port on a loopback address.
    return isLoopback(host) && port !== undefined && listening.has(port);
  };
  const block = (attempt: Attempt): NetworkBlockedError => {
    if (!reported) {
      reported = true;
      options.onBlocked(attempt);
    }
    return new NetworkBlockedError(attempt);
  };

  // Ports this process listens on (http.Server, net.Server, https.Server all listen through net.Server#listen).
  const Server = net.Server.prototype as unknown as { listen: (...args: unknown[]) => unknown; address(): unknown; once(e: string, f: () => void): void };
  const realListen = Server.listen;
  Server.listen = function listen(this: typeof Server, ...args: unknown[]) {
    this.once("listening", () => {
      const address = this.address();
      if (address && typeof address === "object" && "port" in address) listening.add((address as net.AddressInfo).port);
    });
    return realListen.apply(this, args);
  };

  const Socket = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown; destroy(err?: Error): void };
  const realConnect = Socket.connect;
  Socket.connect = function connect(this: typeof Socket, ...args: unknown[]) {
    const t = target(args);
    if (!t || permitted(t.host, t.port)) return realConnect.apply(this, args);
    const err = block({ host: t.host, port: t.port, via: "net.connect" });
    // Fail as an offline machine does: asynchronously, with an error on the socket.
    process.nextTick(() => this.destroy(err));
    return this;
  };

  const realFetch = globalThis.fetch;
  if (typeof realFetch === "function") {
    globalThis.fetch = function fetch(input: Parameters<typeof realFetch>[0], init?: Parameters<typeof realFetch>[1]) {
      let url: URL | undefined;
      try {
        url = new URL(typeof input === "string" || input instanceof URL ? String(input) : (input as Request).url);
      } catch {
        /* not a URL: let fetch reject it */
      }
      if (url && (url.protocol === "http:" || url.protocol === "https:")) {
        const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
        if (!permitted(url.hostname, port)) return Promise.reject(new TypeError("fetch failed", { cause: block({ host: url.hostname, port, via: "fetch" }) }));
      }
      return realFetch(input, init);
    } as typeof realFetch;
  }

  const UdpSocket = dgram.Socket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const realSend = UdpSocket.send!;
  UdpSocket.send = function send(this: unknown, ...args: unknown[]) {
    // send(msg, [offset, length,] port, address, cb): the address is the string after the port.
    const numbers = args.slice(1).filter((a) => typeof a === "number") as number[];
    const host = args.slice(1).find((a) => typeof a === "string") as string | undefined;
    const port = numbers.length ? numbers[numbers.length - 1] : undefined;
    if (port !== undefined && !permitted(host ?? "localhost", port)) {
      const err = block({ host: host ?? "localhost", port, via: "dgram.send" });
      const cb = args.find((a) => typeof a === "function") as ((e: Error) => void) | undefined;
      if (cb) process.nextTick(cb, err);
      return undefined;
    }
    return realSend.apply(this, args);
  };
  const realUdpConnect = UdpSocket.connect!;
  UdpSocket.connect = function connect(this: unknown, ...args: unknown[]) {
    const port = Number(args[0]);
    const host = typeof args[1] === "string" ? args[1] : "localhost";
    if (!permitted(host, port)) throw block({ host, port, via: "dgram.connect" });
    return realUdpConnect.apply(this, args);
  };

  // Name resolution: every lookup and resolver method, callback and promise forms.
  const guardName = (host: unknown, via: string): NetworkBlockedError | undefined => {
    if (typeof host !== "string" || isLoopback(host) || net.isIP(host) || permitted(host)) return undefined;
    return block({ host, via });
  };
  const wrapCallback = (owner: Record<string, unknown>, name: string, via: string): void => {
    const real = owner[name];
    if (typeof real !== "function") return;
    owner[name] = function (this: unknown, host: unknown, ...rest: unknown[]) {
      const err = guardName(host, via);
      if (!err) return (real as (...a: unknown[]) => unknown).call(this, host, ...rest);
      const cb = rest.find((a) => typeof a === "function") as ((e: Error) => void) | undefined;
      if (cb) process.nextTick(cb, err);
      return undefined;
    };
  };
  const wrapPromise = (owner: Record<string, unknown>, name: string, via: string): void => {
    const real = owner[name];
    if (typeof real !== "function") return;
    owner[name] = function (this: unknown, host: unknown, ...rest: unknown[]) {
      const err = guardName(host, via);
      return err ? Promise.reject(err) : (real as (...a: unknown[]) => unknown).call(this, host, ...rest);
    };
  };
  const RESOLVE = ["resolve", "resolve4", "resolve6", "resolveAny", "resolveCaa", "resolveCname", "resolveMx", "resolveNaptr", "resolveNs", "resolveSoa", "resolveSrv", "resolveTxt"];
  const dnsObj = dns as unknown as Record<string, unknown>;
  const dnsProm = dnsPromises as unknown as Record<string, unknown>;
  for (const name of ["lookup", ...RESOLVE]) {
    wrapCallback(dnsObj, name, `dns.${name}`);
    wrapCallback(dns.Resolver.prototype as unknown as Record<string, unknown>, name, `dns.${name}`);
    wrapPromise(dnsProm, name, `dns.promises.${name}`);
    wrapPromise(dnsPromises.Resolver.prototype as unknown as Record<string, unknown>, name, `dns.promises.${name}`);
  }
  // `import { lookup } from "node:dns"` reads the ESM facade: bring it up to date with the patched exports.
  syncBuiltinESMExports();
}
