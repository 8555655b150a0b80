// What the desk's server keeps of its own (never the tenant's data): agents' sessions and
// sign-ins in progress, the audit log of writes made through the desk, and creates whose
// outcome is unknown. Behind this interface so that a shared database (PostgreSQL, when
// several servers run behind a load balancer) can take the place of the SQLite file.
// Every method is async for that reason, even where SQLite answers at once.

export interface SessionAgent {
  /** The tenant's agent id. */
  id: number;
  email: string;
  name: string;
  roles: string[];
  avatar_url: string | null;
}

export interface SessionRecord {
  /** SHA-256 of the secret the browser holds; the secret itself is never stored. */
  id: string;
  /** One sign-in: the session of a tab and those handed to CRM frames share it, and end with it. */
  loginId: string;
  agent: SessionAgent;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

/** A sign-in between the redirect to the identity provider and its callback. */
export interface LoginRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** Where the desk goes after sign-in: a path of the desk. */
  returnTo: string;
  /** Started from a CRM frame: the callback hands the session back to the frame. */
  popup: boolean;
  expiresAt: number;
}

/** A one-time code with which a CRM frame takes over a sign-in made in a popup. */
export interface Handoff {
  codeHash: string;
  loginId: string;
  agent: SessionAgent;
  absoluteExpiresAt: number;
  expiresAt: number;
}

export type AuditAction = 'call.create' | 'customer_flag.update' | 'call.cancel' | 'call.event';

export interface AuditEntry {
  id: number;
  at: string;
  agentEmail: string;
  agentName: string;
  action: AuditAction;
  callId: number | null;
  before: unknown;
  after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** A create that was sent and got no answer: the server looks for the call before a retry. */
export interface PendingCreate {
  id: string;
  agentEmail: string;
  /** What identifies the call: the number (E.164 digits) or ticket the agent dialled. */
  endUserNumber: string | null;
  ticketId: string | null;
  startedAt: string;
  state: 'checking' | 'placed' | 'not_placed';
  callId: number | null;
  /** Until when the server keeps looking. */
  checkUntil: number;
}

export interface DeskStore {
  createSession(session: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  touchSession(id: string, lastSeenAt: number, idleExpiresAt: number): Promise<void>;
  /** Ends every session of one sign-in; answers the ids ended. */
  deleteLogin(loginId: string): Promise<string[]>;
  /** Ends every session of these agents (e-mails lower-case); answers the ids ended. */
  deleteAgentSessions(emails: readonly string[]): Promise<string[]>;
  /** The agents (e-mail lower-case) with a session that has not expired. */
  activeAgents(now: number): Promise<string[]>;
  /** Forgets expired sessions, sign-ins and hand-overs. */
  purgeExpired(now: number): Promise<void>;

  putLogin(login: LoginRequest): Promise<void>;
  /** The sign-in for this state, removed so that it is used once; undefined when expired. */
  takeLogin(state: string, now: number): Promise<LoginRequest | undefined>;

  putHandoff(handoff: Handoff): Promise<void>;
  takeHandoff(codeHash: string, now: number): Promise<Handoff | undefined>;

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  auditForCall(callId: number, actions: readonly AuditAction[]): Promise<AuditEntry[]>;

  putPendingCreate(pending: PendingCreate): Promise<void>;
  getPendingCreate(id: string): Promise<PendingCreate | undefined>;
  /** The agent's creates still being checked. */
  pendingCreatesOf(agentEmail: string): Promise<PendingCreate[]>;
  updatePendingCreate(id: string, change: Pick<PendingCreate, 'state' | 'callId'>): Promise<void>;

  close(): Promise<void>;
}
