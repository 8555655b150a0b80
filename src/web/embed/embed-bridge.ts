import type { QueryClient } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';
import type { DeskController } from '../desk/desk-controller.ts';
import type { DeskEvents } from '../desk/desk-events.tsx';
import {
  createBridgeConnection,
  type BridgeState,
  type BridgeWindow,
} from './bridge-connection.ts';
import { startDeskReports } from './desk-reports.ts';
import type { FrameContext } from './frame-context.ts';
import { createHostCommands } from './host-commands.ts';

// The desk's half of the embedding contract (docs/embedding.md, src/contract/embed.ts),
// put together from its parts: the connection (handshake, queues, the checks every
// message passes; bridge-connection.ts), the protocol's parsing (host-messages.ts), the
// host's commands (host-commands.ts) and the desk's events told to the host
// (desk-reports.ts).

export interface EmbedBridge {
  getState(): BridgeState;
  /** Takes a message event (the desk's window listener; events buffered before the bridge loaded). */
  receive(event: MessageEvent): void;
  subscribe(listener: () => void): () => void;
  /** Removes every listener the bridge added. */
  stop(): void;
}

export interface EmbedBridgeOptions {
  /** Where host messages arrive. */
  win: BridgeWindow;
  /** The framing window (window.parent); null when not framed. */
  parent: Pick<Window, 'postMessage'> | null;
  frame: FrameContext;
  controller: DeskController;
  events: Pick<DeskEvents, 'subscribe'>;
  queryClient: QueryClient;
  client: CallApiClient;
  console?: Pick<Console, 'warn' | 'error'>;
}

export function createEmbedBridge(options: EmbedBridgeOptions): EmbedBridge {
  const { win, parent, frame, controller, events, queryClient, client } = options;
  /** A dial asked the desk to create the call: its failure is the host's business. */
  let dialCreating = false;

  const connection = createBridgeConnection({
    win,
    parent,
    frame,
    queryClient,
    client,
    console: options.console ?? console,
    onHostMessage: (message) => void carryOut(message),
  });
  const carryOut = createHostCommands({
    controller,
    queryClient,
    client,
    postError: connection.postError,
    onDial: (create) => {
      dialCreating = create;
    },
  });
  const stopReports = frame.framed
    ? startDeskReports({
        events,
        queryClient,
        post: connection.post,
        onCreated: () => {
          dialCreating = false;
        },
        onCreateFailed: (message) => {
          if (dialCreating) connection.postError(message, 'dial');
          dialCreating = false;
        },
      })
    : () => {};

  return {
    getState: connection.getState,
    receive: connection.receive,
    subscribe: connection.subscribe,
    stop() {
      connection.stop();
      stopReports();
    },
  };
}
