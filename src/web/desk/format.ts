import { useMemo } from 'react';
import { useIntl, type IntlShape } from 'react-intl';
import { usePhoneFormat } from '../lib/phone-format.ts';

// How the desk writes times, durations and numbers: through Intl, in the agent's language
// and time zone, the same way on every page.

function toDate(value: string | number | null | undefined): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Whole seconds from one time to another; undefined when either is missing. */
export function secondsBetween(
  from: string | number | null | undefined,
  to: string | number | null | undefined,
): number | undefined {
  const a = toDate(from);
  const b = toDate(to);
  if (!a || !b) return undefined;
  return Math.max(0, Math.floor((b.getTime() - a.getTime()) / 1000));
}

/** A running timer's digits: "0:07", "12:05", "1:02:03". */
export function timerText(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const RELATIVE_STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

export interface DeskFormat {
  /** "Dec 1, 2026, 5:15 PM"; the text as it came when it is not a time; '' when absent. */
  dateTime(value: string | null | undefined): string;
  /** "5:15:04 PM". */
  time(value: string | null | undefined): string;
  /** "3 minutes ago", "in 2 hours", "now". */
  relative(value: string | null | undefined, now: number): string;
  /** A span: "2 min 5 s", "1 hr 2 min", "7 s". */
  duration(seconds: number | null | undefined): string;
  /** A phone number in the desk's one format (international, grouped). */
  phone(number: string | null | undefined): string;
}

export function createDeskFormat(intl: IntlShape, phone: (n: string) => string): DeskFormat {
  const unit = (value: number, u: string) =>
    intl.formatNumber(value, { style: 'unit', unit: u, unitDisplay: 'short' });
  return {
    dateTime(value) {
      if (!value) return '';
      const date = toDate(value);
      return date ? intl.formatDate(date, { dateStyle: 'medium', timeStyle: 'short' }) : value;
    },
    time(value) {
      if (!value) return '';
      const date = toDate(value);
      return date ? intl.formatTime(date, { timeStyle: 'medium' }) : value;
    },
    relative(value, now) {
      const date = toDate(value);
      if (!date) return value ?? '';
      let amount = (date.getTime() - now) / 1000;
      for (const [u, size] of RELATIVE_STEPS) {
        if (Math.abs(amount) < size) {
          const rounded = Math.round(amount);
          if (u === 'second' && Math.abs(rounded) < 10) {
            return intl.formatRelativeTime(0, 'second', { numeric: 'auto' });
          }
          return intl.formatRelativeTime(rounded, u, { numeric: 'auto' });
        }
        amount /= size;
      }
      return intl.formatDate(date);
    },
    duration(seconds) {
      if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
      const total = Math.max(0, Math.round(seconds));
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = total % 60;
      if (h > 0) return m > 0 ? `${unit(h, 'hour')} ${unit(m, 'minute')}` : unit(h, 'hour');
      if (m > 0) return s > 0 ? `${unit(m, 'minute')} ${unit(s, 'second')}` : unit(m, 'minute');
      return unit(s, 'second');
    },
    phone: (number) => (number ? phone(number) : ''),
  };
}

export function useDeskFormat(): DeskFormat {
  const intl = useIntl();
  const phone = usePhoneFormat();
  return useMemo(() => createDeskFormat(intl, phone), [intl, phone]);
}
