import { z } from './zod.ts';
import { list, nullable } from './schema-helpers.ts';

// The desk's own API (`/desk/api`), served by the desk's server in front of the tenant:
// who is signed in and what the desk may do, the history of writes made through the desk,
// and creates whose outcome is unknown. Plus the words of its refusals, so that the desk
// can say them in the agent's language.

export const DESK_API_PREFIX = '/desk/api';
export const DESK_AUTH_PREFIX = '/desk/auth';

export const DESK_ERRORS = {
  signInRequired: 'Sign in to use the desk',
  deskHeaderRequired: 'The desk API is only for the Switchboard desk',
  crossSite: 'Requests from other sites are refused',
  pathNotWellFormed: 'The path is not well formed',
  notYourCall: 'You can place calls only as yourself',
  notYourAgent: 'The desk acts only as the agent signed in',
  tenantUnreachable: 'The tenant could not be reached',
  tenantTimeout: 'The tenant did not answer in time',
  tenantRefusedToken:
    "The desk's server could not sign in to the tenant: its API token was refused (UPSTREAM_TOKEN). Tell your administrator.",
  tenantBusy: 'The desk is sending the tenant all it allows: try again shortly',
  outcomeUnknown:
    'The tenant did not answer in time: the call may have been placed. The desk is checking.',
  outcomePending:
    'Your last call may have been placed: wait until the desk has checked before you try again',
  handoffInvalid: 'This sign-in has expired: sign in again',
  stateUnavailable: "The desk's server cannot reach its database: try again shortly",
} as const;

/** Why a sign-in was refused (the `error` of /sign-in and of the popup's answer). */
export type SignInError =
  | 'expired'
  | 'cancelled'
  | 'idp_error'
  | 'idp_unreachable'
  | 'not_verified'
  | 'no_agent'
  | 'agent_disabled'
  | 'tenant_unreachable';

const DeskAgentSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  roles: list(z.string()),
  avatar_url: nullable(z.string()),
});

export const DeskSessionSchema = z.object({
  agent: DeskAgentSchema,
  tenant: z.string(),
  capabilities: z.object({
    /** The emulator's Simulate panel (its control API) is there. */
    simulate: z.boolean(),
    sign_out: z.boolean(),
    /** Outbound calls may name another agent (a role the server's configuration allows). */
    act_for_others: z.boolean(),
    /** Calls move on by themselves (the emulator's autoplay). */
    autoplay: z.boolean(),
  }),
  /** How this desk proves its session: its cookie, or a token held in memory (a CRM frame whose cookies are blocked). */
  transport: z.enum(['cookie', 'token']).catch('cookie'),
  idle_expires_at: z.string(),
  expires_at: z.string(),
  /** The server's clock when it answered, so the desk can show times against it. */
  server_time: z.string(),
});
export type DeskSession = z.output<typeof DeskSessionSchema>;

/** Which pages may frame the desk and talk to it: known before anyone has signed in. */
export const DeskEmbedSchema = z.object({
  embed_protocol: z.string(),
  embed_allowed_origins: z.array(z.string()),
});
export type DeskEmbed = z.output<typeof DeskEmbedSchema>;

export const HISTORY_ACTIONS = ['customer_flag.update', 'call.cancel'] as const;

const HistoryEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  agent_email: z.string(),
  agent_name: z.string(),
  action: z.string(),
  call_id: nullable(z.number()),
  before: z.unknown(),
  after: z.unknown(),
});
export type HistoryEntry = z.output<typeof HistoryEntrySchema>;
export const HistorySchema = z.object({ entries: z.array(HistoryEntrySchema) });

export const CreateOutcomeSchema = z.object({
  id: z.string(),
  state: z.enum(['checking', 'placed', 'not_placed']).catch('checking'),
  call_id: nullable(z.number()),
});
export type CreateOutcome = z.output<typeof CreateOutcomeSchema>;

export const HandoffAnswerSchema = z.object({ token: z.string(), expires_at: z.string() });
