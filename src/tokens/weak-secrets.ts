import { SAMPLE_SECRETS } from '../parsers/apps/sample-secrets.js';

/**
 * HMAC secrets copied from JWT documentation and tutorials, tried (exactly as written) against every
 * HS256/384/512 token `token audit` sees. Small on purpose: each costs one HMAC per distinct token;
 * big lists belong in `--wordlist`. Extended with the app session samples of
 * src/parsers/apps/sample-secrets.ts, so `check` and `token audit` agree on what a sample secret is.
 */
export const JWT_SAMPLE_SECRETS: readonly string[] = [
  // jwt.io's debugger: the secret prefilled for HS256 / HS384 / HS512 (and 'secret' in older versions).
  'your-256-bit-secret',
  'your-384-bit-secret',
  'your-512-bit-secret',
  // jsonwebtoken, passport-jwt and PyJWT README examples ('shhhhh' is in the app samples).
  'secret',
  // express-jwt README.
  'shhhhhhared-secret',
  // Flask-JWT-Extended docs, basic usage: app.config["JWT_SECRET_KEY"] = "super-secret"  # Change this!
  'super-secret',
  // FastAPI docs, "OAuth2 with Password (and hashing), Bearer with JWT tokens": SECRET_KEY.
  '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7',
  // NestJS docs, Authentication recipe: jwtConstants.secret.
  'DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.',
  // LoopBack 4, @loopback/authentication-jwt: TokenServiceConstants.TOKEN_SECRET_VALUE.
  'myjwts3cr3t',
  // Placeholders of countless tutorials and .env.example files.
  'changeme',
  'secretkey',
  'secret_key',
  'my_secret_key',
  'supersecret',
  'your-secret-key',
  'your_jwt_secret',
  'jwt_secret',
  'jwt-secret',
  'jwtsecret',
  // An unset environment variable: '' (process.env.JWT_SECRET ?? ''), or String(undefined) / String(null).
  '',
  'undefined',
  'null',
];

/** The built-in list: the JWT samples, then the app session samples, each once. */
export const BUILT_IN_SECRETS: readonly string[] = [...new Set([...JWT_SAMPLE_SECRETS, ...SAMPLE_SECRETS])];

/** A found secret as output shows it: the first 2 characters (fewer for very short ones) and its length. */
export function maskSecret(secret: string): string {
  if (secret === '') return '(empty)';
  const shown = secret.slice(0, Math.min(2, Math.floor(secret.length / 2)));
  return `${shown}… (${secret.length} char${secret.length === 1 ? '' : 's'})`;
}

/** How output shows a found secret: masked unless --show-secret. */
export function showSecret(secret: string, reveal: boolean): string {
  return reveal ? JSON.stringify(secret) : maskSecret(secret);
}
