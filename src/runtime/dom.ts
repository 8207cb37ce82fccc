// `env=browser` (docs/real-world.md, "Browser code"): a DOM implementation from the user's project (happy-dom, or
// jsdom) made global in the page's process before its first browser block, the way a test environment does it.
// What stays Node's: timers and microtasks (the harness's own bookkeeping and stall detection run on them), fetch and
// its classes and AbortController (so network calls go through the guard in network.ts, which also sees the DOM
// implementation's own requests: they connect through node:net), console (captured), process, Buffer, URL, crypto,
// performance, streams, text codecs. Everything else the window has — window, document, navigator, localStorage,
// HTMLElement, Event, CustomEvent, EventTarget, … — comes from the DOM implementation.
// The process is fresh per page, so the DOM is too.

export interface DomSpec {
  /** file:// URL of the package's entry module, resolved from the user's project by the parent. */
  module: string;
  kind: "happy-dom" | "jsdom";
}

/** The address the page is served from: relative URLs resolve against it, and storage has an origin. */
export const DOM_URL = "http://localhost/";

const KEEP = new Set([
  "setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "queueMicrotask",
  "fetch", "Headers", "Request", "Response", "AbortController", "AbortSignal",
  "console", "process", "Buffer", "global", "globalThis", "undefined", "NaN", "Infinity", "eval",
  "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "crypto", "performance",
  "PerformanceObserver", "PerformanceEntry", "PerformanceObserverEntryList", "MessagePort",
  "ReadableStream", "WritableStream", "TransformStream", "structuredClone",
]);

interface HappyDomModule {
  GlobalWindow: new (options: { url: string; console: Console }) => object;
  PropertySymbol?: { defaultView?: symbol };
}

interface JsdomModule {
  JSDOM: new (html: string, options: { url: string; pretendToBeVisual: boolean }) => { window: object };
}

/** Makes the DOM global; returns a function that closes it (pending DOM tasks are dropped). */
export async function installDom(spec: DomSpec): Promise<() => Promise<void>> {
  const mod = (await import(spec.module)) as Partial<HappyDomModule & JsdomModule> & { default?: Partial<JsdomModule> };
  const global = globalThis as unknown as Record<PropertyKey, unknown>;
  if (spec.kind === "happy-dom") {
    if (!mod.GlobalWindow) throw new Error(`${spec.module} does not export GlobalWindow: not a happy-dom this version of validate-docs knows`);
    const window = new mod.GlobalWindow({ url: DOM_URL, console: globalThis.console }) as Record<PropertyKey, unknown>;
    const descriptors = Object.getOwnPropertyDescriptors(window) as Record<PropertyKey, PropertyDescriptor>;
    for (const key of [...Object.keys(descriptors), ...Object.getOwnPropertySymbols(descriptors)]) {
      if (typeof key === "string" && KEEP.has(key)) continue;
      const d = descriptors[key]!;
      const current = Object.getOwnPropertyDescriptor(globalThis, key);
      if (current && current.value !== undefined && current.value === d.value) continue;
      // `window`, `self`, `top`, `parent` are the global object itself.
      if (d.value === window) {
        window[key] = globalThis;
        d.value = globalThis;
      }
      Object.defineProperty(globalThis, key, { ...d, configurable: true });
    }
    const defaultView = mod.PropertySymbol?.defaultView;
    if (defaultView) (global.document as Record<symbol, unknown>)[defaultView] = globalThis;
    const happy = (window as { happyDOM?: { close?: () => Promise<void> } }).happyDOM;
    return async () => {
      await happy?.close?.();
    };
  }
  const JSDOM = mod.JSDOM ?? mod.default?.JSDOM;
  if (!JSDOM) throw new Error(`${spec.module} does not export JSDOM: not a jsdom this version of validate-docs knows`);
  const { window } = new JSDOM("<!doctype html><html><head></head><body></body></html>", { url: DOM_URL, pretendToBeVisual: true });
  const win = window as Record<PropertyKey, unknown>;
  for (const key of Object.getOwnPropertyNames(window)) {
    if (KEEP.has(key) || key in globalThis && !/^(Event|EventTarget|CustomEvent|MessageEvent|DOMException|Blob|File|FormData)$/.test(key)) continue;
    const value = win[key];
    if (value === window) {
      Object.defineProperty(globalThis, key, { value: globalThis, configurable: true, writable: true });
      continue;
    }
    // jsdom's window members are accessors bound to the window: read and write them through it.
    Object.defineProperty(globalThis, key, {
      get: () => (typeof win[key] === "function" && !/^[A-Z]/.test(key) ? (win[key] as (...a: unknown[]) => unknown).bind(window) : win[key]),
      set: (v: unknown) => {
        win[key] = v;
      },
      configurable: true,
    });
  }
  return async () => {
    (window as { close?: () => void }).close?.();
  };
}
