import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

// One definition of a "well formed" phone number for the server and the desk:
// libphonenumber finds a *possible* number that carries its country code.

export interface ParsedPhone {
  /** E.164, e.g. +12051234567: the number's identity for comparisons and search. */
  readonly e164: string;
  /** International format for display, e.g. +1 205 123 4567. */
  readonly international: string;
  /** The region the number belongs to, when libphonenumber can tell. */
  readonly country: CountryCode | undefined;
}

/** Parses a phone number written with its country code; undefined when it is not well formed. */
export function parsePhone(input: unknown): ParsedPhone | undefined {
  if (typeof input !== 'string') return undefined;
  const text = input.trim();
  // The country code must be written: a number without "+" has no country to check against.
  if (!text.startsWith('+') || text.length > 40) return undefined;
  const parsed = parsePhoneNumberFromString(text);
  if (!parsed || !parsed.isPossible()) return undefined;
  // Formatting costs about as much as parsing, and most callers only compare E.164.
  let international: string | undefined;
  return {
    e164: parsed.number,
    get international() {
      return (international ??= parsed.formatInternational());
    },
    country: parsed.country,
  };
}

export function isWellFormedPhone(input: unknown): boolean {
  return parsePhone(input) !== undefined;
}
