import { afterAll, beforeAll, expect, it } from 'vitest';
import { DESK_ERRORS } from '../../contract/desk.ts';
import { startPostgresCluster, type PostgresCluster } from '../test/postgres-cluster.ts';
import { deskHeaders, signIn } from '../test/sign-in.ts';
import { startTenantFleet, type TenantFleet } from '../test/tenant-pair.ts';

// The shared database goes away under a running desk server (its own cluster, stopped
// mid-test): the desk is told to try again shortly, in its own words, and the server stays
// up for when the database is back.

let cluster: PostgresCluster;
let fleet: TenantFleet;
beforeAll(async () => {
  cluster = await startPostgresCluster();
  const url = await cluster.createDatabase();
  fleet = await startTenantFleet({ front: { DATABASE_URL: url } });
});
afterAll(async () => {
  await fleet?.close();
  await cluster?.stop();
});

it('a database that cannot be reached: 503 with Retry-After, and the server stays up', async () => {
  const front = fleet.fronts[0]!;
  const { secret } = await signIn(front.baseUrl, 'agent@somedomain.com');
  const session = () =>
    fetch(`${front.baseUrl}/desk/api/session`, { headers: deskHeaders(secret) });
  expect((await session()).status).toBe(200);

  await cluster.stop();
  for (let i = 0; i < 3; i++) {
    const answer = await session();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(await answer.json()).toEqual({ message: DESK_ERRORS.stateUnavailable });
  }
  expect((await fetch(`${front.baseUrl}/healthz`)).status).toBe(200);
});
