import { useEffect, useState } from 'react';

// The desk's one source of "now": every running timer (a call's state timer, "2 min ago"
// in the list) reads it here, so that it can be corrected in one place, e.g. by the
// server's clock offset once the desk hears of it.

let offsetMs = 0;

/** Milliseconds since the epoch, as the desk takes them to be now. */
export function deskNow(): number {
  return Date.now() + offsetMs;
}

/**
 * Moves the desk's clock by `ms` from the browser's (the server's clock offset).
 * @public The seam for the live feed's clock offset (not yet wired).
 */
export function setDeskClockOffset(ms: number): void {
  offsetMs = Number.isFinite(ms) ? ms : 0;
}

/**
 * `deskNow()`, read again every `intervalMs` while the component is shown; `null` stops the
 * ticking (a call that has ended needs no timer).
 */
export function useNow(intervalMs: number | null): number {
  const [now, setNow] = useState(deskNow);
  useEffect(() => {
    if (intervalMs === null) return;
    const timer = setInterval(() => setNow(deskNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
