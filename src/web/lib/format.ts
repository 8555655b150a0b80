// How the desk writes times and durations, in the agent's locale and time zone.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

function toDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** "Jan 2, 2026, 10:30:00 AM"; the raw text when it does not parse; "—" when absent. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = toDate(value);
  return date ? dateTime.format(date) : value;
}

export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = toDate(value);
  return date ? timeOnly.format(date) : value;
}

/** Whole seconds as "1h 02m 03s", "2m 05s", "7s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Whole seconds from one ISO time to another; undefined when either is missing. */
export function secondsBetween(
  from: string | null | undefined,
  to: string | null | undefined,
): number | undefined {
  const a = toDate(from);
  const b = toDate(to);
  if (!a || !b) return undefined;
  return Math.max(0, Math.floor((b.getTime() - a.getTime()) / 1000));
}

/** The agent's IANA time zone, e.g. "Europe/Berlin". */
export function agentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
