/** The claims of a GitHub App's JWT (docs.github.com, "Generating a JSON Web Token (JWT) for a GitHub App"). */
export interface AppJwtClaims {
  /** Issued at, in seconds: a minute in the past, for clocks that run ahead of GitHub's. */
  readonly iat: number;
  /** Expires, in seconds: GitHub refuses more than 10 minutes ahead, so 9, for clocks that run behind. */
  readonly exp: number;
  /** The app's ID. */
  readonly iss: string;
}

const CLOCK_DRIFT_SECONDS = 60;
const LIFETIME_SECONDS = 9 * 60;

export function appJwtClaims(appId: number, now: Date): AppJwtClaims {
  const seconds = Math.floor(now.getTime() / 1000);
  return { iat: seconds - CLOCK_DRIFT_SECONDS, exp: seconds + LIFETIME_SECONDS, iss: String(appId) };
}

/** `base64url(header).base64url(claims)`: what RS256 signs; the JWT is this, a dot, and the signature. */
export function jwtSigningInput(claims: AppJwtClaims): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
}
