import { createdCallId, type } from './support/desk.ts';
import { expect, test } from './support/fixtures.ts';

// Two tabs of the desk stay consistent without a reload: a call created in one appears in
// the other's list, a flag changed in one shows in the other. The list also polls (every
// 5 s), so the list is given less than that; customer flags are never polled, so there only
// the tabs' own sync can make the second tab change.

test('two tabs stay consistent: a call created in one is listed in the other, a flag changed shows in both', async ({
  context,
  emulator,
}) => {
  const list = await context.newPage();
  const form = await context.newPage();
  await list.goto('/calls');
  await expect(list.getByText('No calls yet.')).toBeVisible();

  await form.goto('/calls/new/outbound');
  await type(form, 'Agent email', 'admin@somedomain.com');
  await form.getByLabel('End user number').fill('+1 859-657-9625');
  await form.getByRole('button', { name: 'Create call' }).click();
  const id = await createdCallId(form);
  await expect(list.getByRole('link', { name: `Open call ${id}` })).toBeVisible({ timeout: 3_000 });

  // Both tabs on the call; the flag is changed in one.
  await list.getByRole('link', { name: `Open call ${id}` }).click();
  await expect(list.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  const verifiedThere = list.getByRole('switch', { name: 'Verified customer' });
  await expect(verifiedThere).not.toBeChecked();
  await form.getByRole('switch', { name: 'Verified customer' }).click();
  await expect(verifiedThere).toBeChecked();
  await form.getByRole('switch', { name: 'Verified customer' }).click();
  await expect(verifiedThere).not.toBeChecked();
  expect(await emulator.getFlags(id)).toMatchObject({ verified_customer: false });
});
