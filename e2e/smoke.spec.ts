import { expect, test } from '@playwright/test';

test('the desk loads from the server and the API reference is served', async ({
  page,
  request,
}) => {
  await page.goto('/calls');
  await expect(page).toHaveTitle(/Switchboard/);
  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  const docs = await request.get('/docs');
  expect(await docs.text()).toContain('swagger-ui');
});
