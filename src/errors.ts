// User-facing errors. The CLI prints their message (no stack) and exits 2.
// Anything else that escapes is an internal error: also exit 2, with the stack.

export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** A bad config file or value; `where` is `file:line` or the option name. */
export class ConfigError extends UsageError {
  override name = "ConfigError";
}

export function isUsageError(err: unknown): err is UsageError {
  return err instanceof UsageError;
}
