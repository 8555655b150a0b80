import type { Call } from '../../contract/calls.ts';
import type { CustomerFlags } from '../../contract/customer-flags.ts';
import type { Db } from '../db/database.ts';
import type { CallInternal } from '../domain/call-object.ts';

export interface StoredCall {
  call: Call;
  internal: CallInternal;
}

export interface CallListFilter {
  status?: string;
  callType?: string;
  agentEmail?: string;
  /** Exact E.164, or digits to find anywhere in the number. */
  endUserE164?: string;
  endUserDigits?: string;
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
}

export interface CallListOrder {
  column: 'id' | 'created_at' | 'updated_at';
  direction: 'ASC' | 'DESC';
}

type Statement = ReturnType<Db['prepare']>;

/** A committed change of a call, as the change feed hears of it. */
export type CallChange =
  | {
      kind: 'created' | 'updated';
      tenantId: number;
      callId: number;
      /** The call object's JSON as it is served. */
      json: string;
      status: string;
      /** Its status before this change (null for a new call). */
      previousStatus: string | null;
      updatedAt: string;
      agentEmail: string | null;
    }
  | { kind: 'flags'; tenantId: number; callId: number; flags: CustomerFlags };

export type CallChangeListener = (changes: CallChange[]) => void;

interface CallRow {
  body: string;
  internal: string;
}

interface FlagRow {
  verified_customer: number;
  bad_actor: number;
  repeat_customer: number;
}

function columnsOf(call: Call) {
  return {
    status: call.status,
    call_type: call.call_type,
    agent_email: call.agent_email?.toLowerCase() ?? null,
    end_user_e164: call.end_user_number,
    created_at: call.created_at,
    updated_at: call.updated_at ?? call.created_at,
    scheduled_at: call.scheduled_at,
  };
}

/**
 * Calls in SQLite. Every statement is prepared once; the call object is stored as the JSON
 * the API answers with, so a read serves it without building it again.
 */
export class CallStore {
  private readonly s;

  constructor(
    private readonly db: Db,
    /** Adds derived keys to a call just before it is written (the emulator's allowed_events). */
    private readonly decorate: (stored: StoredCall) => void = () => {},
  ) {
    const transaction = db.transaction((work: () => unknown) => work()) as <T>(work: () => T) => T;
    // Each level of transaction (and savepoint) gathers the changes it made: a level that
    // commits hands them to the one around it, the outermost to the listeners once SQLite
    // has committed; a level rolled back drops its own.
    this.inTransaction = <T>(work: () => T): T => {
      this.levels.push([]);
      let committed = false;
      try {
        const result = transaction(work);
        committed = true;
        return result;
      } finally {
        const changes = this.levels.pop()!;
        if (committed && changes.length > 0) {
          const outer = this.levels.at(-1);
          if (outer) outer.push(...changes);
          else this.emit(changes);
        }
      }
    };
    this.s = {
      // The id the next call will get (AUTOINCREMENT: never one that was used before). The
      // same transaction then inserts the call under it, in one write of the row and its
      // index entries (a placeholder row updated afterwards cost twice the pages per create).
      nextCallId: db.prepare<[], { id: number }>(
        `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'calls'), 0) + 1 AS id`,
      ),
      insertCall: db.prepare(
        `INSERT INTO calls (id, tenant_id, status, call_type, agent_email, end_user_e164,
           created_at, updated_at, scheduled_at, body, internal)
         VALUES (@id, @tenant_id, @status, @call_type, @agent_email, @end_user_e164,
           @created_at, @updated_at, @scheduled_at, @body, @internal)`,
      ),
      update: db.prepare(
        `UPDATE calls SET status = @status, call_type = @call_type, agent_email = @agent_email,
           end_user_e164 = @end_user_e164, created_at = @created_at, updated_at = @updated_at,
           scheduled_at = @scheduled_at, body = @body, internal = @internal
         WHERE id = @id AND tenant_id = @tenant_id`,
      ),
      status: db.prepare<[number, number], { status: string }>(
        'SELECT status FROM calls WHERE id = ? AND tenant_id = ?',
      ),
      get: db.prepare<[number, number], CallRow>(
        'SELECT body, internal FROM calls WHERE id = ? AND tenant_id = ?',
      ),
      getBody: db.prepare<[number, number], { body: string }>(
        'SELECT body FROM calls WHERE id = ? AND tenant_id = ?',
      ),
      flags: db.prepare<[number, number], FlagRow>(
        'SELECT verified_customer, bad_actor, repeat_customer FROM calls WHERE id = ? AND tenant_id = ?',
      ),
      saveFlags: db.prepare(
        `UPDATE calls SET verified_customer = @verified_customer, bad_actor = @bad_actor,
           repeat_customer = @repeat_customer WHERE id = @id AND tenant_id = @tenant_id`,
      ),
      // An UPDATE then a SELECT, not UPDATE … RETURNING: SQLite gathers RETURNING rows in a
      // temporary table first, which made it 12 µs against 2 + 1.5 µs for the pair.
      bumpSequence: db.prepare<[string]>('UPDATE sequences SET value = value + 1 WHERE name = ?'),
      sequence: db.prepare<[string], { value: number }>(
        'SELECT value FROM sequences WHERE name = ?',
      ),
      totalChanges: db.prepare<[], { n: number }>('SELECT total_changes() AS n'),
      dueScheduled: db.prepare<[number, string], { id: number }>(
        `SELECT id FROM calls WHERE tenant_id = ? AND status = 'scheduled' AND scheduled_at <= ?
         ORDER BY scheduled_at LIMIT 100`,
      ),
      nextScheduled: db.prepare<[number], { at: string | null }>(
        `SELECT MIN(scheduled_at) AS at FROM calls WHERE tenant_id = ? AND status = 'scheduled'`,
      ),
      active: db.prepare<[number], { id: number }>(
        `SELECT id FROM calls WHERE tenant_id = ? AND status IN ('queued', 'assigned', 'connecting',
           'connected', 'switching', 'deflected', 'voicemail') ORDER BY id LIMIT 500`,
      ),
    };
  }

  nextId(sequence: 'participant' | 'transfer'): number {
    this.s.bumpSequence.run(sequence);
    return this.s.sequence.get(sequence)!.value;
  }

  /**
   * Creates a call: `build` receives the new id and returns the call object. One
   * transaction, so a 201 is only sent for a call that is committed. Returns its JSON.
   */
  insert(tenantId: number, build: (id: number) => StoredCall): string {
    return this.inTransaction(() => {
      const id = this.s.nextCallId.get()!.id;
      const stored = build(id);
      if (stored.call.id !== id) throw new Error(`insert: built call ${stored.call.id}, not ${id}`);
      return this.write(this.s.insertCall, tenantId, stored, null);
    });
  }

  /** Writes the call and returns its JSON as it is served. */
  save(tenantId: number, stored: StoredCall): string {
    const previous =
      this.listeners.size > 0
        ? (this.s.status.get(stored.call.id, tenantId)?.status ?? null)
        : null;
    return this.write(this.s.update, tenantId, stored, previous);
  }

  private write(
    statement: Statement,
    tenantId: number,
    stored: StoredCall,
    previousStatus: string | null,
  ): string {
    this.decorate(stored);
    const body = JSON.stringify(stored.call);
    const columns = columnsOf(stored.call);
    const info = statement.run({
      id: stored.call.id,
      tenant_id: tenantId,
      ...columns,
      body,
      internal: JSON.stringify(stored.internal),
    });
    if (info.changes > 0 && this.listeners.size > 0) {
      this.record({
        kind: statement === this.s.insertCall ? 'created' : 'updated',
        tenantId,
        callId: stored.call.id,
        json: body,
        status: stored.call.status,
        previousStatus,
        updatedAt: columns.updated_at,
        agentEmail: columns.agent_email,
      });
    }
    return body;
  }

  private readonly listeners = new Set<CallChangeListener>();
  /** The changes of each open transaction level, innermost last. */
  private readonly levels: CallChange[][] = [];

  /**
   * Hears of every change of a call once it is committed: never from inside a transaction,
   * never of one that was rolled back. Returns the function that stops listening.
   */
  onCommit(listener: CallChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private record(change: CallChange): void {
    const level = this.levels.at(-1);
    if (level) {
      level.push(change);
      return;
    }
    // A write outside CallStore's transactions commits at once, unless someone opened a
    // transaction this store does not know the end of: then it cannot say when it commits.
    if (this.db.inTransaction) {
      throw new Error('CallStore: write calls inside calls.transaction(), not db.transaction()');
    }
    this.emit([change]);
  }

  private emit(changes: CallChange[]): void {
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (error) {
        // A listener's failure is its own: the write is committed and answered as such.
        console.error('[switchboard] a call change listener failed', error);
      }
    }
  }

  get(tenantId: number, id: number): StoredCall | undefined {
    const row = this.s.get.get(id, tenantId);
    if (!row) return undefined;
    return {
      call: JSON.parse(row.body) as Call,
      internal: JSON.parse(row.internal) as CallInternal,
    };
  }

  /** The call object's JSON exactly as it is served. */
  getJson(tenantId: number, id: number): string | undefined {
    return this.s.getBody.get(id, tenantId)?.body;
  }

  getFlags(tenantId: number, id: number): CustomerFlags | undefined {
    const row = this.s.flags.get(id, tenantId);
    if (!row) return undefined;
    return {
      verified_customer: row.verified_customer === 1,
      bad_actor: row.bad_actor === 1,
      repeat_customer: row.repeat_customer === 1,
    };
  }

  saveFlags(tenantId: number, id: number, flags: CustomerFlags): void {
    const info = this.s.saveFlags.run({
      id,
      tenant_id: tenantId,
      verified_customer: flags.verified_customer ? 1 : 0,
      bad_actor: flags.bad_actor ? 1 : 0,
      repeat_customer: flags.repeat_customer ? 1 : 0,
    });
    if (info.changes > 0 && this.listeners.size > 0) {
      this.record({ kind: 'flags', tenantId, callId: id, flags: { ...flags } });
    }
  }

  transaction<T>(work: () => T): T {
    return this.inTransaction(work);
  }

  /**
   * Runs `work` in a transaction, or in a savepoint inside the one already open. Wrapping a
   * function with db.transaction() builds five wrappers each time (a tenth of a create's
   * CPU when it was done per call), so the wrapper is built once and given the work.
   */
  private readonly inTransaction: <T>(work: () => T) => T;

  private pending: Array<{
    work: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }> = [];

  /**
   * Group commit: `work` runs in a transaction shared with the other writes that arrived in
   * the same turn of the event loop, each in its own savepoint (one that throws is rolled
   * back alone and rejects alone). The promise settles once the whole group is committed,
   * so an answer is still only sent for a write that is on disk. Under load this shares
   * one commit, and the pages every create touches (the id sequences, the right edge of
   * each index), among many creates; alone, a write waits for nothing but the end of the
   * current turn.
   */
  groupCommit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.commitGroup());
    });
  }

  private commitGroup(): void {
    const group = this.pending;
    this.pending = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.inTransaction(() => {
        for (const { work } of group) {
          try {
            outcomes.push({ ok: true, value: this.inTransaction(work) });
          } catch (error) {
            // Some failures (a full disk, an I/O error) make SQLite roll the whole
            // transaction back, not just the savepoint: then nothing of the group is
            // stored, and no later work may run outside it.
            if (!this.db.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }

  /** Per tenant: when its next scheduled call falls due, as of the database's last change. */
  private readonly nextDue = new Map<number, { changes: number; at: string | null }>();

  /**
   * Scheduled calls whose time has come. Every read asks, so the answer "none before T" is
   * kept until a row changes (total_changes()) or the tenant's clock reaches T.
   */
  dueScheduledIds(tenantId: number, nowIso: string): number[] {
    const changes = this.s.totalChanges.get()!.n;
    const known = this.nextDue.get(tenantId);
    if (known && known.changes === changes && (known.at === null || nowIso < known.at)) return [];
    const ids = this.s.dueScheduled.all(tenantId, nowIso).map((r) => r.id);
    if (ids.length === 0) {
      this.nextDue.set(tenantId, { changes, at: this.s.nextScheduled.get(tenantId)?.at ?? null });
    }
    return ids;
  }

  activeIds(tenantId: number): number[] {
    return this.s.active.all(tenantId).map((r) => r.id);
  }

  /** A page of calls as their JSON texts, and how many match in all. */
  list(
    tenantId: number,
    filter: CallListFilter,
    order: CallListOrder,
    limit: number,
    offset: number,
  ): { bodies: string[]; total: number } {
    const where: string[] = ['tenant_id = @tenant_id'];
    const params: Record<string, string | number> = { tenant_id: tenantId, limit, offset };
    const add = (sql: string, name: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      params[name] = value;
    };
    add('status = @status', 'status', filter.status);
    add('call_type = @call_type', 'call_type', filter.callType);
    add('agent_email = @agent_email', 'agent_email', filter.agentEmail?.toLowerCase());
    add('end_user_e164 = @e164', 'e164', filter.endUserE164);
    add(
      "end_user_e164 LIKE @digits ESCAPE '\\'",
      'digits',
      filter.endUserDigits === undefined ? undefined : `%${filter.endUserDigits}%`,
    );
    add('created_at >= @created_from', 'created_from', filter.createdFrom);
    add('created_at <= @created_to', 'created_to', filter.createdTo);
    add('updated_at >= @updated_from', 'updated_from', filter.updatedFrom);
    add('updated_at <= @updated_to', 'updated_to', filter.updatedTo);
    const whereSql = where.join(' AND ');
    // Column and direction come from fixed lists, never from the request text.
    const orderSql = `${order.column} ${order.direction}, id ${order.direction}`;
    const total = this.count(`SELECT COUNT(*) AS n FROM calls WHERE ${whereSql}`, params);
    const pageSql = `SELECT body FROM calls WHERE ${whereSql} ORDER BY ${orderSql} LIMIT @limit OFFSET @offset`;
    const bodies = this.unchanged(this.pages, `${pageSql}\n${JSON.stringify(params)}`, () =>
      this.cachedStatement<{ body: string }>(pageSql)
        .all(params)
        .map((r) => r.body),
    );
    return { bodies, total };
  }

  private readonly counts = new Map<string, { changes: number; value: number }>();
  private readonly pages = new Map<string, { changes: number; value: string[] }>();

  /**
   * A desk polls the same list over and over while nothing changes, and COUNT(*) walks
   * every matching index entry (about half a millisecond for 10,000 calls). Counts and
   * pages are kept until any row of the database changes: SQLite's total_changes() moves
   * with every INSERT, UPDATE and DELETE on this connection, whichever module made it.
   */
  private unchanged<T>(
    cache: Map<string, { changes: number; value: T }>,
    key: string,
    read: () => T,
  ): T {
    const changes = this.s.totalChanges.get()!.n;
    const cached = cache.get(key);
    if (cached && cached.changes === changes) return cached.value;
    const value = read();
    // Bounded: a page is at most 100 calls, so 200 entries stay within a few tens of MB.
    if (cache.size >= 200) cache.clear();
    cache.set(key, { changes, value });
    return value;
  }

  private count(sql: string, params: Record<string, string | number>): number {
    const { limit: _limit, offset: _offset, ...filter } = params;
    return this.unchanged(
      this.counts,
      `${sql}\n${JSON.stringify(filter)}`,
      () => this.cachedStatement<{ n: number }>(sql).get(params)!.n,
    );
  }

  private readonly statementCache = new Map<string, ReturnType<Db['prepare']>>();

  /** Lists combine filters in a few dozen ways; each shape is prepared once. */
  private cachedStatement<R>(sql: string) {
    let statement = this.statementCache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statementCache.set(sql, statement);
    }
    return statement as unknown as { get(p: object): R | undefined; all(p: object): R[] };
  }
}
