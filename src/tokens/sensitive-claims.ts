import type { Severity } from '../model/index.js';

/**
 * Personal data and credentials in a JWS payload, which is only base64url: anyone who sees the token
 * (browser, proxy and app logs, error trackers, the user) reads it. Values are recognised by shape
 * (emails, phone numbers in international or North-American format, card numbers that pass Luhn with a
 * card-network prefix, US SSNs, UK National Insurance numbers, IBANs that pass mod-97), claim names by
 * meaning (password, secret, ssn, credit_card...). Values are never echoed: findings name the claim.
 */

export type SensitiveKind = 'credential' | 'card number' | 'national id' | 'bank account' | 'email' | 'phone number';

export interface SensitiveClaim {
  /** "email", "user.contacts[1].phone". */
  path: string;
  kind: SensitiveKind;
  /** What recognised it, for the message: "claim name", "US SSN shape". */
  why: string;
}

export const SENSITIVE_SEVERITY: Record<SensitiveKind, Severity> = {
  credential: 'high',
  'card number': 'high',
  'national id': 'high',
  'bank account': 'high',
  email: 'medium',
  'phone number': 'medium',
};

/** Claim names (lower case, separators removed) whose value is a credential or a regulated number. */
const SENSITIVE_NAMES: ReadonlyMap<string, SensitiveKind> = new Map([
  ...['password', 'passwd', 'pwd', 'pass', 'passphrase', 'userpassword', 'secret', 'clientsecret', 'apikey', 'apisecret', 'accesskey',
    'secretkey', 'privatekey', 'secretaccesskey', 'pin', 'otp', 'totpsecret', 'mfasecret', 'securityanswer'].map((name) => [name, 'credential'] as const),
  ...['creditcard', 'creditcardnumber', 'cardnumber', 'ccnumber', 'ccnum', 'cvv', 'cvv2', 'cvc', 'cvc2'].map((name) => [name, 'card number'] as const),
  ...['ssn', 'socialsecuritynumber', 'nationalid', 'nationalidnumber', 'taxid', 'nino', 'passportnumber', 'driverslicense',
    'driverlicense', 'driverslicensenumber'].map((name) => [name, 'national id'] as const),
  ...['iban', 'bankaccount', 'bankaccountnumber', 'routingnumber'].map((name) => [name, 'bank account'] as const),
]);

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
/** +44 20 7946 0958, +1-202-555-0147, +4915112345678; or (202) 555-0147. Bare digit runs are ids, not phones. */
const PHONE_INTERNATIONAL = /^\+[1-9][\d\s().-]{6,20}$/;
const PHONE_NANP = /^\(\d{3}\)\s?\d{3}-\d{4}$/;
const CARD = /^\d(?:[ -]?\d){12,18}$/;
const SSN = /^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/;
const NINO = /^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/i;
const IBAN = /^[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}$/;

/** The Luhn (mod 10) check digit test of card numbers (ISO/IEC 7812-1). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the big card networks: Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro. */
function hasCardPrefix(digits: string): boolean {
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  return (
    digits[0] === '4' ||
    (two >= 51 && two <= 55) ||
    (four >= 2221 && four <= 2720) ||
    two === 34 ||
    two === 37 ||
    digits.startsWith('6011') ||
    digits.startsWith('65') ||
    (Number(digits.slice(0, 3)) >= 644 && Number(digits.slice(0, 3)) <= 649) ||
    (four >= 3528 && four <= 3589) ||
    two === 36 ||
    two === 38 ||
    (Number(digits.slice(0, 3)) >= 300 && Number(digits.slice(0, 3)) <= 305) ||
    two === 62 ||
    ['50', '56', '57', '58', '63', '67'].includes(digits.slice(0, 2))
  );
}

export function isCardNumber(text: string): boolean {
  if (!CARD.test(text)) return false;
  const digits = text.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && hasCardPrefix(digits) && luhnValid(digits);
}

export function isIban(text: string): boolean {
  if (!IBAN.test(text)) return false;
  const compact = text.replace(/ /g, '');
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** What a string value looks like, or null. The first character picks the few shapes worth testing. */
function kindOfValue(value: string): { kind: SensitiveKind; why: string } | null {
  if (value.length < 6 || value.length > 320) return null;
  const first = value[0];
  if (value.includes('@')) return EMAIL.test(value) ? { kind: 'email', why: 'an email address' } : null;
  if (first >= '0' && first <= '9') {
    if (isCardNumber(value)) return { kind: 'card number', why: 'a card number (Luhn)' };
    if (SSN.test(value)) return { kind: 'national id', why: 'a US SSN' };
    return null;
  }
  if (first === '+' || first === '(') {
    const phone = (PHONE_INTERNATIONAL.test(value) && digitCount(value) >= 8 && digitCount(value) <= 15) || PHONE_NANP.test(value);
    return phone ? { kind: 'phone number', why: 'a phone number' } : null;
  }
  if (value.length <= 48 && /^[A-Za-z]{2}/.test(value)) {
    if (NINO.test(value)) return { kind: 'national id', why: 'a UK National Insurance number' };
    if (isIban(value)) return { kind: 'bank account', why: 'an IBAN' };
  }
  return null;
}

function digitCount(text: string): number {
  let count = 0;
  for (const char of text) if (char >= '0' && char <= '9') count++;
  return count;
}

/** Claim names repeat from token to token: their verdicts are cached (bounded). */
const nameKinds = new Map<string, SensitiveKind | null>();

function kindOfName(name: string): SensitiveKind | null {
  let kind = nameKinds.get(name);
  if (kind === undefined) {
    kind = SENSITIVE_NAMES.get(name.toLowerCase().replace(/[^a-z0-9]/g, '')) ?? null;
    if (nameKinds.size >= 10_000) nameKinds.clear();
    nameKinds.set(name, kind);
  }
  return kind;
}

/** Bounds, so a hostile payload cannot make the walk expensive. */
const MAX_DEPTH = 8;
const MAX_VALUES = 2000;

/** The claims of a payload that carry credentials or personal data, in document order. */
export function findSensitiveClaims(payload: Record<string, unknown>): SensitiveClaim[] {
  const found: SensitiveClaim[] = [];
  let visited = 0;
  const walk = (value: unknown, path: string, name: string | null, depth: number): void => {
    if (++visited > MAX_VALUES || depth > MAX_DEPTH) return;
    if (name !== null) {
      const byName = kindOfName(name);
      if (byName && hasContent(value)) {
        found.push({ path, kind: byName, why: 'the claim name' });
        return;
      }
    }
    if (typeof value === 'string') {
      const byValue = kindOfValue(value.trim());
      if (byValue) found.push({ path, ...byValue });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`, null, depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key, key, depth + 1);
    }
  };
  walk(payload, '', null, 0);
  return found;
}

/** A credential-named claim counts when it holds something: not false/null/"" (pwd_changed: true is a flag, not a password). */
function hasContent(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return true;
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}
