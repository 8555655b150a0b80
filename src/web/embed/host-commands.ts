import type { QueryClient } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';
import type { HostMessage } from '../../contract/embed.ts';
import { callQueries } from '../calls/api/call-queries.ts';
import type { DeskController } from '../desk/desk-controller.ts';
import { sessionQueries } from '../desk/session-queries.ts';
import { isCallApiError } from '../lib/api-error.ts';

// The host's commands: what the desk does for a host message that passed the connection's
// checks (dial, open_call, set_agent), and the `error` it answers when it cannot. The desk
// acts only as the agent signed in: a host cannot choose somebody else (set_agent and a
// dial's agent_email must name that agent, unless the server lets the agent act for others).

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

  /** Who is signed in, or undefined (and the host told why) when nobody is. */
  async function signedIn(requestType: HostMessage['type']) {
    try {
      return await queryClient.fetchQuery(sessionQueries.session(client));
    } catch (error) {
      postError(
        isCallApiError(error) && error.status === 401
          ? 'Nobody is signed in at the desk: the agent signs in first'
          : 'The desk could not tell who is signed in',
        requestType,
      );
      return undefined;
    }
  }
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

  return async function carryOut(message) {
    try {
      switch (message.type) {
        case 'dial': {
          const { end_user_number, ticket_id, agent_email, create } = message.payload;
          if (agent_email !== undefined && agent_email.trim() !== '') {
            const session = await signedIn('dial');
            if (!session) return;
            if (!same(agent_email, session.agent.email) && !session.capabilities.act_for_others) {
              postError(
                `The desk places calls only as ${session.agent.email}, the agent signed in`,
                'dial',
              );
              return;
            }
          }
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
          // The agent is whoever signed in: the host may only confirm it.
          const session = await signedIn('set_agent');
          if (!session) return;
          if (!same(message.payload.agent_email, session.agent.email)) {
            postError(
              `The desk acts only as ${session.agent.email}, the agent signed in`,
              'set_agent',
            );
          }
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
