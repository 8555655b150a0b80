import type { QueryClient } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';
import type { HostMessage } from '../../contract/embed.ts';
import { callQueries } from '../calls/api/call-queries.ts';
import { directoryQueries } from '../calls/api/directory-queries.ts';
import type { DeskController } from '../desk/desk-controller.ts';
import { isCallApiError } from '../lib/api-error.ts';

// The host's commands: what the desk does for a host message that passed the connection's
// checks (dial, open_call, set_agent), and the `error` it answers when it cannot.

export interface HostCommandsOptions {
  controller: DeskController;
  queryClient: QueryClient;
  client: CallApiClient;
  /** Answers the host with `error` for its request. */
  postError: (message: string, requestType: HostMessage['type']) => void;
  /** A dial was carried out; `create` says whether it asked the desk to place the call. */
  onDial?: (create: boolean) => void;
}

export type CarryOut = (message: HostMessage) => Promise<void>;

export function createHostCommands(options: HostCommandsOptions): CarryOut {
  const { controller, queryClient, client, postError, onDial } = options;
  return async function carryOut(message) {
    try {
      switch (message.type) {
        case 'dial': {
          const { end_user_number, ticket_id, agent_email, create } = message.payload;
          onDial?.(create === true);
          await controller.dial({
            ...(end_user_number !== undefined && { end_user_number }),
            ...(ticket_id !== undefined && { ticket_id: String(ticket_id) }),
            ...(agent_email !== undefined && { agent_email }),
            ...(create !== undefined && { createNow: create }),
          });
          return;
        }
        case 'open_call': {
          const { id } = message.payload;
          try {
            await queryClient.fetchQuery(callQueries.detail(client, id));
          } catch (error) {
            if (isCallApiError(error) && error.status === 404) {
              postError(`Call ${id} was not found`, 'open_call');
              return;
            }
            // Anything else (offline, a 5xx): the call's page says so and offers a retry.
          }
          await controller.openCall(id);
          return;
        }
        case 'set_agent': {
          const email = message.payload.agent_email.trim();
          let agents: { email: string }[] | undefined;
          try {
            agents = await queryClient.fetchQuery(directoryQueries.agents(client));
          } catch {
            agents = undefined; // the directory is out of reach: trust the host
          }
          if (agents && !agents.some((a) => a.email.toLowerCase() === email.toLowerCase())) {
            postError(`${email} is not an agent of this tenant`, 'set_agent');
            return;
          }
          controller.setAgent(
            agents?.find((a) => a.email.toLowerCase() === email.toLowerCase())?.email ?? email,
          );
          return;
        }
      }
    } catch (error) {
      postError(
        error instanceof Error ? error.message : 'The desk could not do this',
        message.type,
      );
    }
  };
}
