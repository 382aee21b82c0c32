import { randomBytes } from 'crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh ULID (48-bit millisecond time, 80 random bits), as the control plane names dispatches. */
export function newDispatchId(time = Date.now()): string {
  let text = '';
  let rest = time;
  for (let i = 0; i < 10; i++) {
    text = CROCKFORD[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  for (const byte of randomBytes(16)) {
    text += CROCKFORD[byte % 32];
  }
  return text;
}
