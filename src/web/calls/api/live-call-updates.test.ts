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

const newestFirst: CallListQuery = {
  page: 1,
  per: 3,
  sort_column: 'created_at',
  sort_direction: 'DESC',
};
const list = { query: newestFirst };
const withQuery = (extra: CallListQuery, statuses?: readonly string[]) => ({
  query: { ...newestFirst, ...extra },
  statuses,
});
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

  it('says a later page moved when a call comes in before it', () => {
    const shown = page([call(3, 'queued', 3), call(2, 'queued', 2)], 5);
    // Never seen: new, or one of page 1 that changed; only the server can count it.
    const unseen = applyCallToPage(shown, withQuery({ page: 2 }), call(9, 'queued', 9), undefined);
    expect(ids(unseen?.page)).toEqual([3, 2]);
    expect(unseen).toMatchObject({ stale: true, page: { total: 5 } });
    // Known, and just come into the filter: one more, and every row moves down.
    const came = applyCallToPage(
      shown,
      withQuery({ page: 2, status: 'queued' }),
      call(9, 'queued', 9),
      call(9, 'assigned', 9),
    );
    expect(came).toMatchObject({ stale: true, page: { total: 6 } });
  });

  it('drops a call that leaves the filter, and says a row is missing', () => {
    const shown = page([call(3, 'queued', 3), call(2, 'queued', 2)], 7);
    const update = applyCallToPage(
      shown,
      withQuery({ status: 'queued' }),
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
      withQuery({ status: 'queued' }),
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
        withQuery({ status: 'queued' }),
        call(1, 'finished', 1),
        call(1, 'connected', 1),
      ),
    ).toBeNull();
  });

  it('counts one fewer when a call leaves the filter from another page', () => {
    const shown = page([call(9, 'queued', 9)], 40);
    const update = applyCallToPage(
      shown,
      withQuery({ status: 'queued' }),
      call(1, 'assigned', 1),
      call(1, 'queued', 1),
    );
    expect(update).toMatchObject({ stale: true, page: { total: 39 } });
  });

  it('leaves to the server what only it can say (a number filter), and marks the page stale', () => {
    const shown = page([call(9, 'queued', 9)], 1);
    const update = applyCallToPage(
      shown,
      withQuery({ end_user_number: '555' }),
      call(10, 'queued', 10),
      undefined,
    );
    expect(update).toEqual({ page: shown, stale: true });
  });

  it('takes a group of statuses as the filter (the waiting view)', () => {
    const waiting = withQuery({}, ['queued', 'selecting']);
    const shown = page([call(5, 'queued', 5)], 1);
    const left = applyCallToPage(shown, waiting, call(5, 'assigned', 5), shown.calls[0]);
    expect(left).toMatchObject({ stale: true, page: { total: 0, calls: [] } });
    const came = applyCallToPage(shown, waiting, call(6, 'selecting', 6), undefined);
    expect(ids(came?.page)).toEqual([6, 5]);
  });

  it("takes in a call just assigned to the agent on the agent's own view", () => {
    const mine = withQuery({ agent_email: 'Agent@somedomain.com' });
    const shown = page([call(5, 'assigned', 5)], 1);
    const before = call(4, 'queued', 4);
    const assigned = { ...call(4, 'assigned', 4), agent_email: 'agent@somedomain.com' } as Call;
    const update = applyCallToPage(shown, mine, assigned, before);
    expect(ids(update?.page)).toEqual([5, 4]);
    expect(update).toMatchObject({ stale: false, page: { total: 2 } });
  });

  it('moves a call to its new place when the page sorts on updated_at', () => {
    const byChange = withQuery({ sort_column: 'updated_at' });
    const stamped = (id: number, minute: number) =>
      ({
        ...call(id, 'queued', 1),
        updated_at: `2026-01-01T12:${String(minute).padStart(2, '0')}:00.000Z`,
      }) as Call;
    const shown = page([stamped(1, 30), stamped(2, 20), stamped(3, 10)], 3);
    const update = applyCallToPage(shown, byChange, stamped(3, 40), shown.calls[2]);
    expect(ids(update?.page)).toEqual([3, 1, 2]);
    expect(update!.page.total).toBe(3);
  });

  it('leaves alone a list of every call for a call it never saw, changed on a later page', () => {
    const shown = page([call(9, 'queued', 9), call(8, 'queued', 8), call(7, 'queued', 7)], 50);
    expect(applyCallToPage(shown, list, call(2, 'assigned', 2), undefined)).toBeNull();
  });

  it('is the same page again when the same change comes twice', () => {
    const shown = page([call(3, 'queued', 3)], 1);
    const first = applyCallToPage(shown, list, call(4, 'queued', 4), undefined)!;
    const again = applyCallToPage(first.page, list, call(4, 'queued', 4), call(4, 'queued', 4))!;
    expect(again.page).toEqual(first.page);
  });
});
