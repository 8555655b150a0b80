import { expect, test } from './support/fixtures.ts';

// A call's life on its page: walked through with the Simulate panel while the status and
// the timeline follow; customer flags that stay set; a scheduled call cancelled.

test('a call walked through its life with Simulate, the timeline following', async ({
  page,
  emulator,
}) => {
  const { id } = await emulator.inboundCall();
  await page.goto(`/calls/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  const simulate = page.getByRole('group', { name: 'Simulate events' });
  const timeline = page.getByRole('list', { name: 'Timeline' });
  const entry = (name: string) =>
    timeline.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
  const main = page.getByRole('main');
  await expect(entry('Queued')).toBeVisible();

  const steps: Array<[button: string, timelineEntry: string, status: string]> = [
    ['Assign', 'Assigned', 'Assigned'],
    ['Connect', 'Connected', 'Connected'],
    ['Hold', 'On hold', 'Connected'],
    ['Resume', 'Resumed', 'Connected'],
    ['Transfer', 'Transfer started', 'Connected'],
    ['Accept transfer', 'Transferred', 'Connected'],
    ['Finish', 'Finished', 'Finished'],
  ];
  for (const [button, step, status] of steps) {
    await simulate.getByRole('button', { name: button, exact: true }).click();
    await expect(entry(step)).toBeVisible();
    await expect(main.getByText(status, { exact: true }).first()).toBeVisible();
  }
  await expect(page.getByText('This call takes no more events.')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeHidden();
  const entries = await timeline.getByRole('listitem').allTextContents();
  const order = [
    'Created',
    'Queued',
    'Assigned',
    'Connected',
    'On hold',
    'Resumed',
    'Transfer started',
    'Transferred',
    'Finished',
  ];
  const positions = order.map((e) => entries.findIndex((text) => text.startsWith(e)));
  expect(
    positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)),
    entries.join(' | '),
  ).toBe(true);
  expect(await emulator.getCall(id)).toMatchObject({ status: 'finished' });
});

test('the page follows a call that moves on elsewhere (the API, another agent)', async ({
  page,
  emulator,
}) => {
  const { id } = await emulator.inboundCall();
  await page.goto(`/calls/${id}`);
  const timeline = page.getByRole('list', { name: 'Timeline' });
  const entry = (name: string) =>
    timeline.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
  await expect(entry('Queued')).toBeVisible();
  await emulator.sendEvent(id, { type: 'assign', agent_email: 'agent@somedomain.com' });
  await emulator.sendEvent(id, { type: 'connect' });
  // Nobody touched this page: it reads the call again while the call is live.
  await expect(entry('Connected')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('Avery');
});

test('customer flags toggled stay set after a reload', async ({ page, emulator }) => {
  const { id } = await emulator.inboundCall();
  await page.goto(`/calls/${id}`);
  const verified = page.getByRole('switch', { name: 'Verified customer' });
  const badActor = page.getByRole('switch', { name: 'Bad actor' });
  const repeat = page.getByRole('switch', { name: 'Repeat customer' });
  await expect(verified).not.toBeChecked();
  await verified.click();
  await expect(verified).toBeChecked();
  await badActor.click();
  await expect(badActor).toBeChecked();
  await expect
    .poll(() => emulator.getFlags(id))
    .toEqual({ verified_customer: true, bad_actor: true, repeat_customer: false });

  await page.reload();
  await expect(page.getByRole('switch', { name: 'Verified customer' })).toBeChecked();
  await expect(page.getByRole('switch', { name: 'Bad actor' })).toBeChecked();
  await expect(page.getByRole('switch', { name: 'Repeat customer' })).not.toBeChecked();

  await page.getByRole('switch', { name: 'Bad actor' }).click();
  await expect.poll(() => emulator.getFlags(id)).toMatchObject({ bad_actor: false });
  await page.reload();
  await expect(page.getByRole('switch', { name: 'Bad actor' })).not.toBeChecked();
  await expect(repeat).not.toBeChecked();
});

test('a scheduled call cancelled', async ({ page, emulator }) => {
  const { id } = await emulator.createCall({
    call_type: 'Voice Scheduled (API)',
    menu_id: 9,
    end_user_number: '+1 205 123 4567',
    scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
  });
  await page.goto(`/calls/${id}`);
  await page.getByRole('button', { name: 'Cancel scheduled call' }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel call ${id}?` });
  // Keeping it changes nothing.
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(dialog).toBeHidden();
  expect(await emulator.getCall(id)).toMatchObject({ status: 'scheduled' });

  await page.getByRole('button', { name: 'Cancel scheduled call' }).click();
  await page
    .getByRole('dialog', { name: `Cancel call ${id}?` })
    .getByRole('button', { name: 'Yes, cancel it' })
    .click();
  await expect(
    page.getByRole('main').getByText('Cancelled', { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel scheduled call' })).toBeHidden();
  expect(await emulator.getCall(id)).toMatchObject({ status: 'cancelled' });
});
