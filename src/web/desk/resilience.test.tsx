// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallApiError } from '../../contract/client.ts';
import { testIntl, WithIntl } from '../test/intl.tsx';
import { loadApiErrorWords } from './api-error-text.tsx';
import { DeskErrorBoundary, ErrorPanel, describeError } from './error-boundaries.tsx';
import { OfflineBanner } from './offline-banner.tsx';

// What the desk does when things go wrong around it: a render that throws is caught with a
// way to try again, and losing the connection is said at once.

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function setOnline(online: boolean) {
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });
  act(() => {
    window.dispatchEvent(new Event(online ? 'online' : 'offline'));
  });
}

describe('the offline banner', () => {
  it('appears when the browser goes offline and goes when it is back', () => {
    setOnline(true);
    render(
      <WithIntl>
        <OfflineBanner />
      </WithIntl>,
    );
    expect(screen.queryByRole('status')).toBeNull();
    setOnline(false);
    expect(screen.getByRole('status').textContent).toMatch(/You are offline/);
    setOnline(true);
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('the root error boundary', () => {
  it('says what failed and renders the desk again on Try again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let broken = true;
    function Page() {
      if (broken) throw new Error('The call list could not be drawn');
      return <p>Calls</p>;
    }
    render(
      <WithIntl>
        <DeskErrorBoundary
          fallback={(error, reset) => (
            <ErrorPanel title="The desk stopped" error={error} onRetry={reset} />
          )}
        >
          <Page />
        </DeskErrorBoundary>
      </WithIntl>,
    );
    expect(screen.getByText('The desk stopped')).toBeTruthy();
    expect(screen.getByText(/The call list could not be drawn/)).toBeTruthy();
    broken = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('Calls')).toBeTruthy();
  });

  it('words an unreachable server and an API refusal for an agent', async () => {
    const intl = testIntl();
    await loadApiErrorWords();
    expect(describeError(new CallApiError(0, 'x', null), intl)).toMatch(/could not be reached/);
    expect(describeError(new CallApiError(404, 'Resource not found', null), intl)).toBe(
      'It is not there (any more). Go back to the list of calls. (Resource not found (HTTP 404))',
    );
    expect(describeError(new CallApiError(418, 'Teapot', null), intl)).toBe('Teapot (HTTP 418)');
    expect(
      describeError(new TypeError('Failed to fetch dynamically imported module'), intl),
    ).toMatch(/could not be loaded/);
    expect(describeError(new CallApiError(0, 'x', null), testIntl('es'))).toMatch(
      /No se pudo contactar con el servidor/,
    );
  });
});
