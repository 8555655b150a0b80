import { useQuery } from '@tanstack/react-query';
import { useCallApiClient } from './api-client.tsx';
import { sessionQueries } from './session-queries.ts';

// The agent the desk acts as: the one signed in. Every feature learns it from
// `useCurrentAgent()` and from nowhere else; the server decides it (from the session), and
// refuses an outbound call that names anybody else.

export interface CurrentAgent {
  /** The signed-in agent's e-mail, '' until the session is known. */
  email: string;
  /** Their name as the tenant has it, '' until known. */
  name: string;
  /** Outbound calls may name another agent (a role the server allows it). */
  mayActForOthers: boolean;
}

export function useCurrentAgent(): CurrentAgent {
  const client = useCallApiClient();
  const session = useQuery(sessionQueries.session(client));
  const data = session.data;
  return {
    email: data?.agent.email ?? '',
    name: data?.agent.name ?? '',
    mayActForOthers: data?.capabilities.act_for_others ?? false,
  };
}
