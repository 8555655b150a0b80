import type { FastifyInstance } from 'fastify';
import { API_ERRORS, apiErrorText } from '../../contract/api-errors.ts';
import {
  CUSTOMER_FLAG_ALIASES,
  CUSTOMER_FLAG_KEYS,
  type CustomerFlagKey,
  type CustomerFlags,
} from '../../contract/customer-flags.ts';
import { recordEvent } from '../domain/call-object.ts';
import { jsonObjectBody } from '../http/body.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { pathId } from './calls.ts';

/** The flags a PATCH body asks for, with the seed's `repeat_customers` read as `repeat_customer`. */
function parseFlagPatch(body: Record<string, unknown>): Partial<CustomerFlags> {
  const patch: Partial<CustomerFlags> = {};
  const entries: Array<[string, CustomerFlagKey]> = [
    ...CUSTOMER_FLAG_KEYS.map((k) => [k, k] as [string, CustomerFlagKey]),
    ...Object.entries(CUSTOMER_FLAG_ALIASES),
  ];
  for (const [key, flag] of entries) {
    if (!Object.hasOwn(body, key) || body[key] === undefined) continue;
    // The canonical spelling wins when both are sent.
    if (key !== flag && Object.hasOwn(body, flag)) continue;
    const value = body[key];
    if (typeof value !== 'boolean') throw badRequest(apiErrorText.mustBeBoolean(key));
    patch[flag] = value;
  }
  if (Object.keys(patch).length === 0) throw badRequest(API_ERRORS.flagRequired.message);
  return patch;
}

export async function customerFlagRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
) {
  const { calls, tenants } = services;

  app.get<{ Params: { id: string } }>('/calls/:id/customer_flag', async (request) => {
    const flags = calls.getFlags(request.tenant!.id, pathId(request.params.id));
    if (!flags) throw notFound();
    return flags;
  });

  app.patch<{ Params: { id: string } }>('/calls/:id/customer_flag', async (request) => {
    const tenant = request.tenant!;
    const id = pathId(request.params.id);
    const body = jsonObjectBody(request);
    if (!calls.getFlags(tenant.id, id)) throw notFound();
    const patch = parseFlagPatch(body);
    return calls.transaction(() => {
      const stored = calls.get(tenant.id, id)!;
      const flags = { ...calls.getFlags(tenant.id, id)!, ...patch };
      calls.saveFlags(tenant.id, id, flags);
      // The call object's `verified` mirrors verified_customer; any change moves updated_at.
      const call = structuredClone(stored.call);
      call.verified = flags.verified_customer;
      const changed = Object.entries(patch)
        .map(([k, v]) => `${k} ${v ? 'on' : 'off'}`)
        .join(', ');
      recordEvent(call, 'customer_flag', tenants.now(tenant).toISOString(), changed);
      calls.save(tenant.id, { call, internal: stored.internal });
      return flags;
    });
  });
}
