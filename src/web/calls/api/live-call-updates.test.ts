import { describe, expect, it } from 'vitest';
import type { CallListQuery } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import type { CallPage } from '../../../contract/client.ts';
import { applyCallToPage } from './live-call-updates.ts';

// How a list page the desk holds takes a changed call without asking the server.

const call = (id: number, status: string, minute: number, callType = 'Voice Inbound (API)') =>
  ({
    id,
    status,
    call_type: callType,
    created_at: `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
    updated_at: `2026-01-01T11:00:00.000Z`,
  }) as unknown as Call;

const page = (calls: Call[], total = calls.length, perPage = 3): CallPage => ({
  calls,
  total,
  perPage,
  links: {},
});

const list: CallListQuery = { page: 1, per: 3, sort_column: 'created_at', sort_direction: 'DESC' };
const ids = (p: CallPage | undefined) => p?.calls.map((c) => c.id);

describe('a list page takes a changed call', () => {
  it('replaces a call it shows, in place', () => {
    const shown = page([call(3, 'queued', 3), call(2, 'queued', 2), call(1, 'queued', 1)], 10);
    const update = applyCallToPage(shown, list, call(2, 'assigned', 2), shown.calls[1]);
    expect(update).toEqual({ page: expect.any(Object), stale: false });
    expect(update!.page.calls[1]!.status).toBe('assigned');
    expect(update!.page.total).toBe(10);
  });

  it('puts a new call at the top of the first page, and moves the last row on', () => {
    const shown = page([call(3, 'queued', 3), call(2, 'queued', 2), call(1, 'queued', 1)], 10);
    const update = applyCallToPage(shown, list, call(4, 'queued', 4), undefined);
    expect(ids(update?.page)).toEqual([4, 3, 2]);
    expect(update).toMatchObject({ stale: false, page: { total: 11 } });
  });

  it('fills a page that is not full', () => {
    const update = applyCallToPage(
      page([call(3, 'queued', 3)]),
      list,
      call(4, 'queued', 4),
      undefined,
    );
    expect(ids(update?.page)).toEqual([4, 3]);
    expect(update!.page.total).toBe(2);
  });

  it('counts a call of an earlier page on a later one, and says the rows moved', () => {
    const shown = page([call(3, 'queued', 3), call(2, 'queued', 2)], 5);
    const update = applyCallToPage(shown, { ...list, page: 2 }, call(9, 'queued', 9), undefined);
    expect(ids(update?.page)).toEqual([3, 2]);
    expect(update).toMatchObject({ stale: true, page: { total: 6 } });
  });

  it('drops a call that leaves the filter, and says a row is missing', () => {
    const shown = page([call(3, 'queued', 3), call(2, 'queued', 2)], 7);
    const update = applyCallToPage(
      shown,
      { ...list, status: 'queued' },
      call(3, 'assigned', 3),
      shown.calls[0],
    );
    expect(ids(update?.page)).toEqual([2]);
    expect(update).toMatchObject({ stale: true, page: { total: 6 } });
  });

  it('takes in a call whose new status passes the filter', () => {
    const shown = page([call(5, 'queued', 5), call(2, 'queued', 2)], 2);
    const before = call(4, 'assigned', 4);
    const update = applyCallToPage(
      shown,
      { ...list, status: 'queued' },
      call(4, 'queued', 4),
      before,
    );
    expect(ids(update?.page)).toEqual([5, 4, 2]);
    expect(update).toMatchObject({ stale: false, page: { total: 3 } });
  });

  it('leaves a page alone for a change elsewhere that keeps the call in the filter', () => {
    const shown = page([call(9, 'queued', 9)], 40);
    const before = call(1, 'queued', 1);
    expect(applyCallToPage(shown, list, call(1, 'assigned', 1), before)).toBeNull();
    // Nor for a call outside the filter that stays outside it.
    expect(
      applyCallToPage(
        shown,
        { ...list, status: 'queued' },
        call(1, 'finished', 1),
        call(1, 'connected', 1),
      ),
    ).toBeNull();
  });

  it('counts one fewer when a call leaves the filter from another page', () => {
    const shown = page([call(9, 'queued', 9)], 40);
    const update = applyCallToPage(
      shown,
      { ...list, status: 'queued' },
      call(1, 'assigned', 1),
      call(1, 'queued', 1),
    );
    expect(update).toMatchObject({ stale: true, page: { total: 39 } });
  });

  it('leaves to the server what only it can say (a number filter), and marks the page stale', () => {
    const shown = page([call(9, 'queued', 9)], 1);
    const update = applyCallToPage(
      shown,
      { ...list, end_user_number: '555' },
      call(10, 'queued', 10),
      undefined,
    );
    expect(update).toEqual({ page: shown, stale: true });
  });

  it('is the same page again when the same change comes twice', () => {
    const shown = page([call(3, 'queued', 3)], 1);
    const first = applyCallToPage(shown, list, call(4, 'queued', 4), undefined)!;
    const again = applyCallToPage(first.page, list, call(4, 'queued', 4), call(4, 'queued', 4))!;
    expect(again.page).toEqual(first.page);
  });
});
