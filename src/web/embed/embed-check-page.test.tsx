// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallApiClient } from '../../contract/client.ts';
import { EMBED_PROTOCOL } from '../../contract/embed.ts';
import { CallApiClientProvider } from '../desk/api-client.tsx';
import { WithIntl } from '../test/intl.tsx';
import type { BridgeState } from './bridge-connection.ts';
import { EmbedProvider } from './embed-context.tsx';
import { EmbedCheckPage } from './embed-check-page.tsx';
import type { EmbedHandle } from './start-embed.ts';

// The diagnostics page says what an integrator needs to know, in words.

afterEach(cleanup);

const CRM = 'http://localhost:4188';

function renderPage(state: BridgeState | null, allowed: string[] = [CRM]) {
  const client = {
    embedSettings: async () => ({
      embed_protocol: EMBED_PROTOCOL,
      embed_allowed_origins: allowed,
    }),
    session: async () => {
      throw Object.assign(new Error('Sign in to use the desk'), {
        name: 'CallApiError',
        status: 401,
      });
    },
  } as unknown as CallApiClient;
  const handle: EmbedHandle | null = state && {
    getState: () => state,
    subscribe: () => () => {},
    stop: () => {},
  };
  const page = (
    <WithIntl>
      <CallApiClientProvider client={client}>
        <QueryClientProvider client={new QueryClient()}>
          <EmbedCheckPage />
        </QueryClientProvider>
      </CallApiClientProvider>
    </WithIntl>
  );
  render(handle ? <EmbedProvider handle={handle}>{page}</EmbedProvider> : page);
}

const framed = (patch: Partial<BridgeState> = {}): BridgeState => ({
  status: 'connected',
  frame: {
    framed: true,
    ownOrigin: 'http://127.0.0.1:4187',
    parentOrigin: CRM,
    parentOriginFrom: 'ancestorOrigins',
  },
  allowedOrigins: [CRM],
  targetOrigin: CRM,
  log: [],
  ...patch,
});

describe('/embed/check', () => {
  it('framed by an allowed origin: says so, which rule it matched, and that storage was checked', async () => {
    renderPage(framed(), ['https://crm.example.com', 'http://localhost:*']);
    expect(await screen.findByText('This origin is allowed')).toBeTruthy();
    expect(screen.getByText('http://localhost:*', { selector: 'code' })).toBeTruthy();
    expect(await screen.findAllByText('Works')).not.toHaveLength(0);
    expect(screen.queryByText('Checking…')).toBeNull();
    expect(screen.getByText('No messages have arrived.')).toBeTruthy();
  });

  it('framed by an origin that is not on the list: says so, and what to do', async () => {
    renderPage(
      framed({
        status: 'refused',
        targetOrigin: null,
        frame: { ...framed().frame, parentOrigin: 'http://localhost:9999' },
      }),
    );
    expect(await screen.findByText('This origin is not allowed')).toBeTruthy();
    expect(screen.getByText(/add it to the server’s configuration/)).toBeTruthy();
  });

  it('lists the messages that arrived, newest first, with why any was ignored', async () => {
    renderPage(
      framed({
        log: [
          {
            seq: 1,
            at: 0,
            direction: 'out',
            origin: CRM,
            type: 'ready',
            outcome: 'sent',
            preview: '{}',
          },
          {
            seq: 2,
            at: 0,
            direction: 'in',
            origin: CRM,
            type: 'dial',
            outcome: 'accepted',
            preview: '{"type":"dial"}',
          },
          {
            seq: 3,
            at: 0,
            direction: 'in',
            origin: CRM,
            type: 'hang_up',
            outcome: 'ignored',
            reason: 'unknown type "hang_up"',
            preview: '{"type":"hang_up"}',
          },
        ],
      }),
    );
    expect(await screen.findByText('2 messages have arrived.')).toBeTruthy();
    const items = within(screen.getByRole('list', { name: 'Messages, newest first' })).getAllByRole(
      'listitem',
    );
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(
        /^Ignoredhang_up from http:\/\/localhost:4188.*Why: unknown type "hang_up"/,
      ),
      expect.stringMatching(/^Accepteddial from http:\/\/localhost:4188/),
      expect.stringMatching(/^Sentready to http:\/\/localhost:4188/),
    ]);
  });

  it('not framed: says to open it inside the CRM’s iframe', async () => {
    renderPage(null);
    expect(await screen.findByText('Not in a frame')).toBeTruthy();
    expect(screen.getByText('Not running.')).toBeTruthy();
  });
});
