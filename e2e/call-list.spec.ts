import { expect, test } from './support/fixtures.ts';

// The call list pages on the server: 25 a page by default, newest first, the page in the
// address (so a reload or a shared link keeps it), and a choice of rows per page.

test('paging in the call list', async ({ page, emulator }) => {
  const ids: number[] = [];
  for (let i = 0; i < 30; i++) ids.push((await emulator.inboundCall(`+1 205 555 ${1000 + i}`)).id);
  const [oldest, newest, thirdNewest] = [ids[0]!, ids[29]!, ids[27]!];
  await page.goto('/calls');
  const table = page.getByRole('table', { name: 'Calls' });
  const rows = table.getByRole('link', { name: /^Open call \d+$/ });
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toHaveAccessibleName(`Open call ${newest}`);
  await expect(page.getByText('1–25 of 30')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Go to previous page' })).toBeDisabled();

  await page.getByRole('button', { name: 'Go to next page' }).click();
  await expect(rows).toHaveCount(5);
  await expect(page.getByText('26–30 of 30')).toBeVisible();
  await expect(rows.last()).toHaveAccessibleName(`Open call ${oldest}`);
  await expect(page.getByRole('button', { name: 'Go to next page' })).toBeDisabled();
  await expect(page).toHaveURL(/[?&]page=2/);

  await page.reload();
  await expect(rows).toHaveCount(5);
  await expect(page.getByText('26–30 of 30')).toBeVisible();

  await page.getByRole('button', { name: 'Go to previous page' }).click();
  await expect(rows).toHaveCount(25);
  await page.getByRole('combobox', { name: 'Rows per page:' }).selectOption('10');
  await expect(rows).toHaveCount(10);
  await expect(page.getByText('1–10 of 30')).toBeVisible();

  await rows.nth(2).click();
  await expect(page.getByRole('heading', { level: 1, name: `Call ${thirdNewest}` })).toBeVisible();
  await page.goBack();
  await expect(rows).toHaveCount(10);
});
