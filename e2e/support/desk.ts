import { expect, type FrameLocator, type Page } from '@playwright/test';
import { DESK_ORIGIN, HOST_ORIGIN } from './ports.ts';

// Ways around the desk that read like what an agent does: by role and label only.

type Scope = Page | FrameLocator;

/** Waits for a call's page after Create call, and returns the call's id. */
export async function createdCallId(scope: Scope): Promise<number> {
  const heading = scope.getByRole('heading', { level: 1, name: /^Call \d+$/ });
  await expect(heading).toBeVisible();
  return Number((await heading.textContent())!.replace(/\D/g, ''));
}

/** Picks an option of a select (MUI: a combobox that opens a listbox). */
export async function choose(scope: Scope, label: string, option: string | RegExp): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await scope.getByRole('option', { name: option }).click();
  await expect(scope.getByRole('listbox')).toBeHidden();
}

/** Types into a free-text field with suggestions, and closes the suggestions. */
export async function type(scope: Scope, label: string, text: string): Promise<void> {
  const input = scope.getByRole('combobox', { name: label, exact: true });
  await input.fill(text);
  await input.press('Escape');
}

/** The CRM host page, framing the desk at `path` (from the allowed origin unless said). */
export function hostUrl(
  path: string,
  {
    origin = HOST_ORIGIN,
    desk = DESK_ORIGIN,
    width,
    height,
  }: { origin?: string; desk?: string; width?: number; height?: number } = {},
): string {
  const params = new URLSearchParams({ desk: `${desk}${path}` });
  if (width) params.set('w', String(width));
  if (height) params.set('h', String(height));
  return `${origin}/crm-host.html?${params}`;
}

export interface HostMessage {
  protocol: string;
  type: string;
  payload: Record<string, unknown>;
}

/** What the host page has received from the desk so far. */
export function received(page: Page): Promise<HostMessage[]> {
  return page.evaluate(() => (window as unknown as { received: HostMessage[] }).received);
}

/** Waits until the host page has received a message of this type (and payload, if given). */
export async function waitForMessage(
  page: Page,
  type: string,
  payload: Record<string, unknown> = {},
): Promise<HostMessage> {
  let found: HostMessage | undefined;
  await expect
    .poll(
      async () => {
        found = (await received(page)).find(
          (m) => m.type === type && Object.entries(payload).every(([k, v]) => m.payload[k] === v),
        );
        return found;
      },
      { message: `the host received ${type} ${JSON.stringify(payload)}` },
    )
    .toBeDefined();
  return found!;
}

/** Speaks to the desk as the CRM's own code does (docs/embedding.md's `send`). */
export function sendToDesk(
  page: Page,
  type: string,
  payload: Record<string, unknown>,
): Promise<void> {
  return page.evaluate(
    ([t, p]) =>
      (window as unknown as { sendToDesk: (t: string, p: unknown) => void }).sendToDesk(t, p),
    [type, payload] as const,
  );
}
