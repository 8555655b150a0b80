// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { checkCookies, checkStorage, checkStorageAccess, runFrameChecks } from './frame-checks.ts';

describe('frame checks', () => {
  it('storage that works is reported working, and left as it was', () => {
    expect(checkStorage(() => window.localStorage)).toMatchObject({ outcome: 'works' });
    expect(window.localStorage.length).toBe(0);
  });

  it('storage that is missing or refused is reported blocked, with the browser’s reason', () => {
    expect(checkStorage(() => null)).toMatchObject({ outcome: 'blocked' });
    expect(
      checkStorage(() => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      }),
    ).toMatchObject({
      outcome: 'blocked',
      detail: 'Refused (SecurityError: Access is denied for this document.).',
      values: { error: 'SecurityError: Access is denied for this document.' },
    });
    const forgetful = { setItem() {}, getItem: () => null, removeItem() {} } as unknown as Storage;
    expect(checkStorage(() => forgetful)).toMatchObject({
      outcome: 'blocked',
      detail: 'Written, but not read back.',
    });
  });

  it('cookies: set, read back and removed; or reported refused', () => {
    expect(checkCookies(document, false)).toMatchObject({ outcome: 'works' });
    expect(document.cookie).not.toContain('switchboard:check');
    const refusing = {
      get cookie() {
        return '';
      },
      set cookie(_value: string) {},
    } as unknown as Document;
    expect(checkCookies(refusing, true).outcome).toBe('blocked');
    expect(checkCookies(refusing, false).detail).toMatch(/need HTTPS/);
  });

  it('unpartitioned storage: the Storage Access API’s answer, or unknown without it', async () => {
    expect((await checkStorageAccess(document, false)).outcome).toBe('works');
    expect((await checkStorageAccess(document, true)).outcome).toBe('unknown');
    const partitioned = { hasStorageAccess: async () => false } as unknown as Document;
    expect((await checkStorageAccess(partitioned, true)).outcome).toBe('blocked');
    const shared = { hasStorageAccess: async () => true } as unknown as Document;
    expect((await checkStorageAccess(shared, true)).outcome).toBe('works');
  });

  it('runs them all', async () => {
    const checks = await runFrameChecks(window, false);
    expect(Object.keys(checks)).toEqual([
      'localStorage',
      'sessionStorage',
      'cookies',
      'storageAccess',
    ]);
  });
});
