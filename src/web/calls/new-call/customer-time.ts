import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

// "What time will it be for the customer?" The number's country tells the time zones;
// a country with several (US, Canada, Australia...) gives a range.

// Browsers without Intl.Locale time zone data (Firefox) fall back to this short list.
const FALLBACK_ZONES: Partial<Record<CountryCode, string[]>> = {
  US: [
    'Pacific/Honolulu',
    'America/Anchorage',
    'America/Los_Angeles',
    'America/Denver',
    'America/Chicago',
    'America/New_York',
  ],
  CA: [
    'America/Vancouver',
    'America/Edmonton',
    'America/Winnipeg',
    'America/Toronto',
    'America/Halifax',
    'America/St_Johns',
  ],
  MX: ['America/Tijuana', 'America/Mexico_City', 'America/Cancun'],
  BR: ['America/Manaus', 'America/Sao_Paulo'],
  AU: ['Australia/Perth', 'Australia/Adelaide', 'Australia/Sydney'],
  GB: ['Europe/London'],
  IE: ['Europe/Dublin'],
  FR: ['Europe/Paris'],
  DE: ['Europe/Berlin'],
  ES: ['Europe/Madrid'],
  IT: ['Europe/Rome'],
  NL: ['Europe/Amsterdam'],
  IN: ['Asia/Kolkata'],
  JP: ['Asia/Tokyo'],
  KR: ['Asia/Seoul'],
  CN: ['Asia/Shanghai'],
  SG: ['Asia/Singapore'],
  PH: ['Asia/Manila'],
};

/** The country a number belongs to: libphonenumber's answer, else its calling code's main country. */
export function phoneCountry(number: string): CountryCode | undefined {
  const parsed = parsePhoneNumberFromString(number.trim());
  if (!parsed) return undefined;
  return parsed.country ?? parsed.getPossibleCountries()[0];
}

function timeZonesForCountry(country: string): string[] {
  try {
    const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & {
      getTimeZones?: () => string[] | undefined;
      timeZones?: string[];
    };
    const zones = locale.getTimeZones?.() ?? locale.timeZones;
    if (zones && zones.length > 0) return zones;
  } catch {
    // No locale data for this region.
  }
  return FALLBACK_ZONES[country as CountryCode] ?? [];
}

function regionName(country: string, locale: string): string {
  try {
    return new Intl.DisplayNames(locale, { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
}

function wallClock(
  date: Date,
  timeZone: string,
  locale: string,
): { sortKey: string; text: string } | undefined {
  try {
    const sortKey = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(date);
    const text = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
    return { sortKey, text };
  } catch {
    return undefined;
  }
}

/** What time it will be for the customer: their country, and a time or a range over its zones. */
interface CustomerTime {
  where: string;
  first: string;
  /** Set when the country's zones disagree (US, Canada, Australia...). */
  last?: string;
}

/** The customer's wall clock at `date`; undefined when the number or the time does not tell. */
export function customerTime(
  date: Date | undefined,
  number: string,
  locale: string,
): CustomerTime | undefined {
  if (!date || Number.isNaN(date.getTime())) return undefined;
  const country = phoneCountry(number);
  if (!country) return undefined;
  const clocks = timeZonesForCountry(country)
    .map((zone) => wallClock(date, zone, locale))
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
    .sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  if (clocks.length === 0) return undefined;
  const first = clocks[0]!;
  const last = clocks[clocks.length - 1]!;
  const where = regionName(country, locale);
  return first.sortKey === last.sortKey
    ? { where, first: first.text }
    : { where, first: first.text, last: last.text };
}
