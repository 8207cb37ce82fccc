// Settings read from the environment.

/** The whole number an environment variable holds (`VALIDATE_DOCS_RUN_INLINE=0`), or undefined when unset or not one. */
export function countFromEnv(name: string): number | undefined {
  const value = process.env[name]?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}
