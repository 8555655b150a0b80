// The Call API and the emulator's control API of a local server, as the fixture tenant
// (for the benchmarks and the screenshots, which drive a real server over HTTP).

const AUTH = `Basic ${Buffer.from('somedomain:local-dev-token').toString('base64')}`;

/** One request; a non-2xx answer throws with its status and text. */
export async function fixtureApi<T = Record<string, unknown>>(
  origin: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: {
      Authorization: AUTH,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
