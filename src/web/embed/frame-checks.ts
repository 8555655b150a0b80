// What the diagnostics page finds out about the frame the desk runs in: can it keep
// anything in storage, set a cookie, reach unpartitioned storage. Browsers partition or
// block third-party storage; the desk works without it (only drafts and the acting agent
// then do not survive a reload), but an integrator wants to know which it is.

import { defineMessages, type MessageDescriptor } from 'react-intl';
import { valueMessages } from '../lib/message-table.ts';

type CheckOutcome = 'works' | 'blocked' | 'unknown';

export interface CheckResult {
  outcome: CheckOutcome;
  /** What was found, in English (the console, tests). */
  detail: string;
  /** The same in the desk's words. */
  message: MessageDescriptor;
  values?: Record<string, string>;
}

const m = valueMessages(
  defineMessages({
    notAvailable: { id: 'check.notAvailable', defaultMessage: 'Not available in this frame.' },
    readBack: { id: 'check.readBack', defaultMessage: 'Written, read back and removed.' },
    notReadBack: { id: 'check.notReadBack', defaultMessage: 'Written, but not read back.' },
    refused: { id: 'check.refused', defaultMessage: 'Refused ({error}).' },
    cookieSet: { id: 'check.cookieSet', defaultMessage: 'A test cookie was set and read back.' },
    cookieThirdParty: {
      id: 'check.cookieThirdParty',
      defaultMessage:
        'A test cookie was refused: this browser blocks cookies in third-party frames. The desk does not need them.',
    },
    cookieHttps: {
      id: 'check.cookieHttps',
      defaultMessage:
        'A test cookie was refused. In a frame, cookies need HTTPS (SameSite=None; Secure). The desk does not need them.',
    },
    cookieRefused: {
      id: 'check.cookieRefused',
      defaultMessage: 'Refused ({error}). The desk does not need cookies.',
    },
    ownStorage: {
      id: 'check.ownStorage',
      defaultMessage: 'Not in a frame: storage is the desk’s own.',
    },
    noStorageAccessApi: {
      id: 'check.noStorageAccessApi',
      defaultMessage: 'This browser does not tell (no Storage Access API).',
    },
    shared: {
      id: 'check.shared',
      defaultMessage: 'This frame shares storage with the desk opened in its own tab.',
    },
    partitioned: {
      id: 'check.partitioned',
      defaultMessage:
        'This frame’s storage is partitioned: separate from the desk opened in its own tab, and from other CRMs.',
    },
    didNotSay: { id: 'check.didNotSay', defaultMessage: 'The browser did not say ({error}).' },
  }),
);

function result(
  outcome: CheckOutcome,
  detail: string,
  message: MessageDescriptor,
  values?: Record<string, string>,
): CheckResult {
  return values ? { outcome, detail, message, values } : { outcome, detail, message };
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
    if (!storage) return result('blocked', 'Not available in this frame.', m.notAvailable);
    const value = String(Date.now());
    storage.setItem(PROBE, value);
    const back = storage.getItem(PROBE);
    storage.removeItem(PROBE);
    return back === value
      ? result('works', 'Written, read back and removed.', m.readBack)
      : result('blocked', 'Written, but not read back.', m.notReadBack);
  } catch (error) {
    return result('blocked', `Refused (${errorName(error)}).`, m.refused, {
      error: errorName(error),
    });
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
    if (set) return result('works', 'A test cookie was set and read back.', m.cookieSet);
    return secure
      ? result(
          'blocked',
          'A test cookie was refused: this browser blocks cookies in third-party frames. The desk does not need them.',
          m.cookieThirdParty,
        )
      : result(
          'blocked',
          'A test cookie was refused. In a frame, cookies need HTTPS (SameSite=None; Secure). The desk does not need them.',
          m.cookieHttps,
        );
  } catch (error) {
    return result(
      'blocked',
      `Refused (${errorName(error)}). The desk does not need cookies.`,
      m.cookieRefused,
      { error: errorName(error) },
    );
  }
}

export async function checkStorageAccess(doc: Document, framed: boolean): Promise<CheckResult> {
  if (!framed) return result('works', 'Not in a frame: storage is the desk’s own.', m.ownStorage);
  const has = (doc as Document & { hasStorageAccess?: () => Promise<boolean> }).hasStorageAccess;
  if (typeof has !== 'function') {
    return result(
      'unknown',
      'This browser does not tell (no Storage Access API).',
      m.noStorageAccessApi,
    );
  }
  try {
    return (await has.call(doc))
      ? result('works', 'This frame shares storage with the desk opened in its own tab.', m.shared)
      : result(
          'blocked',
          'This frame’s storage is partitioned: separate from the desk opened in its own tab, and from other CRMs.',
          m.partitioned,
        );
  } catch (error) {
    return result('unknown', `The browser did not say (${errorName(error)}).`, m.didNotSay, {
      error: errorName(error),
    });
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
