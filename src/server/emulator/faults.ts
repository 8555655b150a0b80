import type { FastifyInstance } from 'fastify';
import { z } from '../../contract/zod.ts';
import { API_PREFIX } from '../../contract/client.ts';
import { HttpError } from '../http/errors.ts';

// Faults the emulator can be told to have, so that what a real tenant does on a bad day is
// tested against the emulator: a create answered late (the call is placed, its answer is
// not in time), or a create lost on the way (never placed, never answered in time). Set
// through the control API (`PUT /emulator/faults`); a reset clears them.

export const FaultsSchema = z
  .object({
    create_delay_ms: z.int().min(0).max(120_000),
    create_lost: z.boolean(),
  })
  .partial();
export type Faults = Required<z.output<typeof FaultsSchema>>;

export const NO_FAULTS: Faults = { create_delay_ms: 0, create_lost: false };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hooks for the Call API's scope: they act on POST /calls of a tenant with faults set. */
export function applyCreateFaults(scope: FastifyInstance, faults: Map<number, Faults>): void {
  const isCreate = (method: string, url: string | undefined) =>
    method === 'POST' && url === `${API_PREFIX}/calls`;
  scope.addHook('preHandler', async (request) => {
    const set = request.tenant && faults.get(request.tenant.id);
    if (!set?.create_lost || !isCreate(request.method, request.routeOptions.url)) return;
    await sleep(set.create_delay_ms);
    // Thrown, not sent: a reply to a client that has gone away would not stop the route.
    throw new HttpError(503, 'The emulator lost this request (PUT /emulator/faults)');
  });
  scope.addHook('onSend', async (request, _reply, payload) => {
    const set = request.tenant && faults.get(request.tenant.id);
    if (
      set &&
      !set.create_lost &&
      set.create_delay_ms > 0 &&
      isCreate(request.method, request.routeOptions.url)
    ) {
      await sleep(set.create_delay_ms);
    }
    return payload;
  });
}
