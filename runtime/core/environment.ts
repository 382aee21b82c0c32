/** A required environment variable, set by the construct that deploys the handler. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Environment variable ${name} is not set; the handler is deployed by the Outpost constructs, which set it.`);
  }
  return value;
}
