import { randomUUID } from 'node:crypto';
import { MANAGER_PREFIX } from '../../contract/client.ts';
import type { CreateOutcome } from '../../contract/desk.ts';
import { parsePhone } from '../../contract/phone.ts';
import { UpstreamError, upstreamJson, type Upstream } from '../upstream/upstream.ts';
import type { DeskStore, PendingCreate } from './store/desk-store.ts';

// A create that was sent and got no answer (a timeout, a connection cut) may or may not
// have placed the call, and a POST is never sent twice. The server looks for it instead:
// a call of that agent to that number (or ticket), created since the request left. Until it
// is found, or long enough has passed to know it was not placed, the agent may not place
// another call: that is how a retry never makes a duplicate.

/** Between two looks for the same create. */
const RECHECK_MS = 1000;

interface CallSummary {
  id: number;
  created_at?: string;
  agent_info?: { email?: string } | null;
  end_user_number?: string | null;
  out_ticket_id?: string | null;
  end_user?: { phone_number?: string | null } | null;
}

export class CreateOutcomes {
  private readonly lastLook = new Map<string, number>();

  constructor(
    private readonly upstream: Upstream,
    private readonly store: DeskStore,
    /** The tenant's deadline: a call is looked for during three of them. */
    private readonly timeoutMs: number,
  ) {}

  view(pending: PendingCreate): CreateOutcome {
    return { id: pending.id, state: pending.state, call_id: pending.callId };
  }

  /** Records a create of unknown outcome, and looks for its call at once. */
  async begin({
    agentEmail,
    request,
    startedAt,
  }: {
    agentEmail: string;
    request: Record<string, unknown> | undefined;
    startedAt: Date;
  }): Promise<PendingCreate> {
    const number = parsePhone(request?.end_user_number);
    const ticket = request?.ticket_id;
    const pending: PendingCreate = {
      id: randomUUID(),
      agentEmail: agentEmail.toLowerCase(),
      endUserNumber: number?.e164 ?? null,
      ticketId: typeof ticket === 'string' || typeof ticket === 'number' ? String(ticket) : null,
      // The tenant's clock may run a little behind ours.
      startedAt: new Date(startedAt.getTime() - 5000).toISOString(),
      state: 'checking',
      callId: null,
      checkUntil: Date.now() + 3 * this.timeoutMs,
    };
    await this.store.putPendingCreate(pending);
    return this.look(pending, true);
  }

  /** The agent's create still unresolved, after one more look; undefined when none. */
  async unresolvedFor(agentEmail: string): Promise<PendingCreate | undefined> {
    for (const pending of await this.store.pendingCreatesOf(agentEmail)) {
      const now = await this.look(pending, false);
      if (now.state === 'checking') return now;
    }
    return undefined;
  }

  /** The outcome as known now (looked for again when a second has passed). */
  async check(id: string, agentEmail: string): Promise<PendingCreate | undefined> {
    const pending = await this.store.getPendingCreate(id);
    if (!pending || pending.agentEmail !== agentEmail.toLowerCase()) return undefined;
    return pending.state === 'checking' ? this.look(pending, false) : pending;
  }

  private async look(pending: PendingCreate, force: boolean): Promise<PendingCreate> {
    if (pending.state !== 'checking') return pending;
    const last = this.lastLook.get(pending.id) ?? 0;
    if (!force && Date.now() - last < RECHECK_MS) return pending;
    this.lastLook.set(pending.id, Date.now());
    let found: CallSummary | undefined;
    try {
      found = await this.find(pending);
    } catch (error) {
      // The tenant still does not answer: keep checking, the deadline decides.
      if (!(error instanceof UpstreamError)) throw error;
    }
    let change: Pick<PendingCreate, 'state' | 'callId'> | undefined;
    if (found) change = { state: 'placed', callId: found.id };
    else if (Date.now() >= pending.checkUntil) change = { state: 'not_placed', callId: null };
    if (!change) return pending;
    await this.store.updatePendingCreate(pending.id, change);
    this.lastLook.delete(pending.id);
    return { ...pending, ...change };
  }

  /** The newest calls since the request left (the Manager API's real filters), then ours. */
  private async find(pending: PendingCreate): Promise<CallSummary | undefined> {
    const query = new URLSearchParams({
      'created_at[from]': pending.startedAt,
      sort_column: 'created_at',
      sort_direction: 'DESC',
      per: '100',
    });
    const response = await this.upstream.request({
      method: 'GET',
      path: `${MANAGER_PREFIX}/calls?${query}`,
      priority: 'agent',
    });
    if (response.status !== 200) return undefined;
    const calls = upstreamJson(response);
    if (!Array.isArray(calls)) return undefined;
    return (calls as CallSummary[]).find((call) => {
      const agent = call.agent_info?.email?.toLowerCase();
      if (agent !== undefined && agent !== pending.agentEmail) return false;
      if (pending.ticketId !== null && call.out_ticket_id === pending.ticketId) return true;
      const number = parsePhone(call.end_user_number ?? call.end_user?.phone_number)?.e164;
      return pending.endUserNumber !== null && number === pending.endUserNumber;
    });
  }
}
