const MASK = '[REDACTED]';
/**
 * Values shorter than this are not masked: real tokens and keys are far longer, and masking a short
 * value (a test's `x`) would mangle every line that happens to contain it.
 */
const MIN_SECRET_LENGTH = 8;

/**
 * Masks known secrets (the worker token, provider keys, the git credential) in everything the worker
 * writes out: its logs, the agent transcript it uploads, error messages.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) {
      return;
    }
    // The forms a secret takes when it lands in a JSON string or a URL, besides itself.
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      this.secrets.add(form);
    }
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so that a secret containing another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join(MASK);
    }
    return result;
  }
}
