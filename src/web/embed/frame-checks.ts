// What the diagnostics page finds out about the frame the desk runs in: can it keep
// anything in storage, set a cookie, reach unpartitioned storage. Browsers partition or
// block third-party storage; the desk works without it (only drafts and the acting agent
// then do not survive a reload), but an integrator wants to know which it is.

export type CheckOutcome = 'works' | 'blocked' | 'unknown';

export interface CheckResult {
  outcome: CheckOutcome;
  detail: string;
}

export interface FrameChecks {
  localStorage: CheckResult;
  sessionStorage: CheckResult;
  cookies: CheckResult;
  storageAccess: CheckResult;
}

const PROBE = 'switchboard:check';

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function checkStorage(get: () => Storage | null | undefined): CheckResult {
  try {
    const storage = get();
    if (!storage) return { outcome: 'blocked', detail: 'Not available in this frame.' };
    const value = String(Date.now());
    storage.setItem(PROBE, value);
    const back = storage.getItem(PROBE);
    storage.removeItem(PROBE);
    return back === value
      ? { outcome: 'works', detail: 'Written, read back and removed.' }
      : { outcome: 'blocked', detail: 'Written, but not read back.' };
  } catch (error) {
    return { outcome: 'blocked', detail: `Refused (${errorName(error)}).` };
  }
}

export function checkCookies(doc: Document, secure: boolean): CheckResult {
  try {
    // In a cross-site frame only a SameSite=None cookie can be set, and that needs Secure.
    const attributes = secure ? '; SameSite=None; Secure' : '; SameSite=Lax';
    const value = String(Date.now());
    doc.cookie = `${PROBE}=${value}; Path=/; Max-Age=60${attributes}`;
    const set = doc.cookie.split(';').some((c) => c.trim() === `${PROBE}=${value}`);
    doc.cookie = `${PROBE}=; Path=/; Max-Age=0${attributes}`;
    if (set) return { outcome: 'works', detail: 'A test cookie was set and read back.' };
    return {
      outcome: 'blocked',
      detail: secure
        ? 'A test cookie was refused: this browser blocks cookies in third-party frames. The desk does not need them.'
        : 'A test cookie was refused. In a frame, cookies need HTTPS (SameSite=None; Secure). The desk does not need them.',
    };
  } catch (error) {
    return {
      outcome: 'blocked',
      detail: `Refused (${errorName(error)}). The desk does not need cookies.`,
    };
  }
}

export async function checkStorageAccess(doc: Document, framed: boolean): Promise<CheckResult> {
  if (!framed) return { outcome: 'works', detail: 'Not in a frame: storage is the desk’s own.' };
  const has = (doc as Document & { hasStorageAccess?: () => Promise<boolean> }).hasStorageAccess;
  if (typeof has !== 'function') {
    return { outcome: 'unknown', detail: 'This browser does not tell (no Storage Access API).' };
  }
  try {
    return (await has.call(doc))
      ? {
          outcome: 'works',
          detail: 'This frame shares storage with the desk opened in its own tab.',
        }
      : {
          outcome: 'blocked',
          detail:
            'This frame’s storage is partitioned: separate from the desk opened in its own tab, and from other CRMs.',
        };
  } catch (error) {
    return { outcome: 'unknown', detail: `The browser did not say (${errorName(error)}).` };
  }
}

export async function runFrameChecks(win: Window, framed: boolean): Promise<FrameChecks> {
  return {
    localStorage: checkStorage(() => win.localStorage),
    sessionStorage: checkStorage(() => win.sessionStorage),
    cookies: checkCookies(win.document, win.isSecureContext),
    storageAccess: await checkStorageAccess(win.document, framed),
  };
}
