import { choose, createdCallId, type } from './support/desk.ts';
import { expect, localInputFromNow, test } from './support/fixtures.ts';

// Each call type created through the desk's forms, and the 202 answers where the agent
// must choose a number before the call is placed.

test('an outbound call', async ({ page, emulator }) => {
  await page.goto('/calls/new/outbound');
  await expect(page.getByRole('tab', { name: 'Outbound', selected: true })).toBeVisible();
  await type(page, 'Agent email', 'admin@somedomain.com');
  await page.getByLabel('End user number').fill('+1 859-657-9625');
  await page.getByRole('button', { name: 'Create call' }).click();

  const id = await createdCallId(page);
  await expect(page.getByText('Outbound call', { exact: true })).toBeVisible();
  await expect(page.getByRole('main').getByText('Assigned', { exact: true }).first()).toBeVisible();
  const call = await emulator.getCall(id);
  expect(call).toMatchObject({
    call_type: 'Voice Outbound (API)',
    status: 'assigned',
    agent_email: 'admin@somedomain.com',
  });
});

test('an inbound call', async ({ page, emulator }) => {
  await page.goto('/calls/new');
  await page.getByRole('tab', { name: 'Inbound' }).click();
  await expect(page).toHaveURL(/\/calls\/new\/inbound$/);
  await choose(page, 'Menu', /^Main Line/);
  await page.getByLabel('End user number').fill('+82-10-6861-2345');
  await choose(page, 'Recording permission', /Allowed/);
  await page.getByRole('button', { name: 'Create call' }).click();

  const id = await createdCallId(page);
  await expect(page.getByText('Inbound call', { exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Menu path' })).toContainText('Main Line');
  expect(await emulator.getCall(id)).toMatchObject({
    call_type: 'Voice Inbound (API)',
    status: 'queued',
  });
});

test('a scheduled call', async ({ page, emulator }) => {
  await page.goto('/calls/new/scheduled');
  await choose(page, 'Menu', /^Lock Star(?! ›)/);
  await page.getByLabel('End user number').fill('+1 205 123 4567');
  await page.getByLabel('Scheduled at').fill(await localInputFromNow(page, 24 * 60));
  await page.getByRole('button', { name: 'Create call' }).click();

  const id = await createdCallId(page);
  await expect(page.getByText('Scheduled call', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel scheduled call' })).toBeVisible();
  expect(await emulator.getCall(id)).toMatchObject({
    call_type: 'Voice Scheduled (API)',
    status: 'scheduled',
  });
});

test('Create call pressed before the form checks have loaded: checked once they are there', async ({
  page,
  emulator,
}) => {
  // The checks (request schemas, libphonenumber) are a chunk fetched after the form has
  // painted: hold it back, as a slow connection would.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/assets\/call-form-checks-[^/]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  // Refused in the desk itself: nothing reaches the server until the form is well formed.
  const creates: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/calls$/.test(new URL(request.url()).pathname))
      creates.push(request.url());
  });
  await page.goto('/calls/new/outbound');
  await type(page, 'Agent email', 'admin@somedomain.com');
  const number = page.getByRole('textbox', { name: 'End user number', exact: true });
  await number.fill('123123');
  const button = page.getByRole('button', { name: 'Create call' });
  await button.click();
  await expect(button).toBeDisabled();

  release();
  await expect(number).toHaveAccessibleDescription(
    'This is not a phone number. Write it with the country code, e.g. +1 205 123 4567. The server said: end_user_number is not well-formed',
  );
  await expect(number).toHaveAttribute('aria-invalid', 'true');
  await expect(button).toBeEnabled();
  await expect(page).toHaveURL(/\/calls\/new\/outbound$/);
  expect(creates).toEqual([]);

  await number.fill('+1 859-657-9625');
  await button.click();
  await createdCallId(page);
  expect(creates).toHaveLength(1);
  expect(await emulator.listCalls()).toHaveLength(1);
});

test('the form checks cannot be loaded: nothing is sent, the agent is told, and a retry works', async ({
  page,
  emulator,
}) => {
  await page.route(/\/assets\/call-form-checks-[^/]+\.js$/, (route) => route.abort());
  await page.goto('/calls/new/outbound');
  await type(page, 'Agent email', 'admin@somedomain.com');
  await page.getByLabel('End user number').fill('+1 859-657-9625');
  const button = page.getByRole('button', { name: 'Create call' });
  await button.click();
  await expect(page.getByRole('alert')).toContainText('The form could not be checked');
  expect(await emulator.listCalls()).toEqual([]);

  // The connection is back: the same click loads them and places the call.
  await page.unroute(/\/assets\/call-form-checks-[^/]+\.js$/);
  await button.click();
  await createdCallId(page);
  expect(await emulator.listCalls()).toHaveLength(1);
});

test('202: the agent chooses an outbound number, and the call is placed from it', async ({
  page,
  emulator,
}) => {
  await page.goto('/calls/new/outbound');
  // agent@ has two numbers of its own: the API asks which one.
  await type(page, 'Agent email', 'agent@somedomain.com');
  await page.getByLabel('End user number').fill('+1 859-657-9625');
  await page.getByRole('button', { name: 'Create call' }).click();

  const dialog = page.getByRole('dialog', { name: 'Choose an outbound number' });
  await expect(dialog).toContainText('Need to choose an outbound number');
  const numbers = dialog.getByRole('list', { name: 'Outbound numbers' }).getByRole('button');
  await expect(numbers).toHaveCount(2);
  await dialog.getByRole('button', { name: /\+1 760 410 8538/ }).click();

  const id = await createdCallId(page);
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('+1 760 410 8538');
  expect(await emulator.getCall(id)).toMatchObject({ outbound_number: '+1 760-410-8538' });
});

test("202: the ticket's contact has two numbers, and the agent chooses which to call", async ({
  page,
  emulator,
}) => {
  await page.goto('/calls/new/outbound');
  await type(page, 'Agent email', 'admin@somedomain.com');
  await page.getByLabel('Ticket ID').fill('80021');
  await page.getByRole('button', { name: 'Create call' }).click();

  const dialog = page.getByRole('dialog', { name: 'Choose the customer’s number' });
  await expect(dialog).toContainText('Agent must make an outbound call with ticket ID');
  await dialog.getByRole('button', { name: /\+1 205 555 0199/ }).click();

  const id = await createdCallId(page);
  expect(await emulator.getCall(id)).toMatchObject({ out_ticket_id: '80021', status: 'assigned' });
});

test('202: cancelling the choice places no call, and keeps the form', async ({
  page,
  emulator,
}) => {
  await page.goto('/calls/new/outbound');
  await type(page, 'Agent email', 'agent@somedomain.com');
  await page.getByLabel('End user number').fill('+1 859-657-9625');
  await page.getByRole('button', { name: 'Create call' }).click();
  const dialog = page.getByRole('dialog', { name: 'Choose an outbound number' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('End user number')).toHaveValue(/^\+1 859.657.9625$/);
  expect(await emulator.listCalls()).toEqual([]);
});
