import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_ERRORS } from '../../contract/api-errors.ts';
import { IdFieldSchema } from '../../contract/call-requests.ts';
import { createCall } from '../calls/create-call.ts';
import { parseListQuery, linkHeader } from '../calls/list-query.ts';
import { recordEvent } from '../domain/call-object.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { jsonObjectBody } from '../http/body.ts';
import type { Services } from '../services.ts';

/** The id in a path: digits only, else the resource does not exist. */
export function pathId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

function sendJson(reply: FastifyReply, status: number, json: string) {
  return reply.code(status).type('application/json; charset=utf-8').send(json);
}

/** GET /calls, under the Call API and the Manager API alike (TENANT-MODE.md). */
export function listCalls(services: Services) {
  const { calls } = services;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = request.tenant!;
    services.promoteDueCalls(tenant);
    const query = parseListQuery(request.query as Record<string, unknown>);
    const { bodies, total } = calls.list(
      tenant.id,
      query.filter,
      query.order,
      query.per,
      (query.page - 1) * query.per,
    );
    reply.header('Total', String(total));
    reply.header('Per-Page', String(query.per));
    reply.header('Link', linkHeader(request.url, query, total));
    return sendJson(reply, 200, `[${bodies.join(',')}]`);
  };
}

export async function callRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { calls, tenants } = services;

  app.post('/calls', async (request, reply) => {
    const body = jsonObjectBody(request);
    const tenant = request.tenant!;
    const now = tenants.now(tenant);
    const outcome = createCall(body, {
      directory: tenant.directory,
      now,
      findCall: (id) => calls.get(tenant.id, id)?.call,
    });
    if (outcome.kind === 'error') throw badRequest(outcome.message);
    if (outcome.kind === 'accepted') return reply.code(202).send(outcome.body);
    const { plan } = outcome;
    const json = await calls.groupCommit(() => {
      const endUser =
        plan.endUser === null
          ? null
          : 'byPhone' in plan.endUser
            ? tenants.contactForPhone(tenant, plan.endUser.byPhone)
            : plan.endUser;
      return calls.insert(tenant.id, (callId) =>
        plan.build({ callId, endUser, nextParticipantId: () => calls.nextId('participant') }),
      );
    });
    return sendJson(reply, 201, json);
  });

  app.get('/calls', listCalls(services));

  app.get<{ Params: { id: string } }>('/calls/:id', async (request, reply) => {
    const tenant = request.tenant!;
    services.promoteDueCalls(tenant);
    const json = calls.getJson(tenant.id, pathId(request.params.id));
    if (json === undefined) throw notFound();
    return sendJson(reply, 200, json);
  });

  app.patch('/calls/scheduled/cancel', async (request, reply) => {
    const body = jsonObjectBody(request);
    const tenant = request.tenant!;
    services.promoteDueCalls(tenant);
    if (body.call_ids === undefined || body.call_ids === null) {
      throw badRequest(API_ERRORS.callIdsRequired.message);
    }
    if (!Array.isArray(body.call_ids) || body.call_ids.length === 0 || body.call_ids.length > 100) {
      throw badRequest(API_ERRORS.callIdsNotWellFormed.message);
    }
    const ids: number[] = [];
    for (const raw of body.call_ids) {
      const parsed = IdFieldSchema.safeParse(raw);
      if (!parsed.success) throw badRequest(API_ERRORS.callIdsNotWellFormed.message);
      if (!ids.includes(parsed.data)) ids.push(parsed.data);
    }
    const cancelled = calls.transaction(() =>
      ids.flatMap((id) => {
        const stored = calls.get(tenant.id, id);
        if (!stored || stored.call.status !== 'scheduled') return [];
        return [cancel(services, tenant, stored)];
      }),
    );
    return sendJson(reply, 200, `[${cancelled.join(',')}]`);
  });

  app.patch<{ Params: { id: string } }>('/calls/scheduled/:id/cancel', async (request, reply) => {
    const tenant = request.tenant!;
    services.promoteDueCalls(tenant);
    const id = pathId(request.params.id);
    const json = calls.transaction(() => {
      const stored = calls.get(tenant.id, id);
      if (!stored) throw notFound();
      if (stored.call.status === 'cancelled') return null;
      if (stored.call.status !== 'scheduled') {
        throw badRequest(API_ERRORS.onlyScheduledCanBeCancelled.message);
      }
      return cancel(services, tenant, stored);
    });
    if (json === null) return reply.code(204).send();
    return sendJson(reply, 200, json);
  });
}

function cancel(
  services: Services,
  tenant: NonNullable<FastifyRequest['tenant']>,
  stored: NonNullable<ReturnType<Services['calls']['get']>>,
) {
  const at = services.tenants.now(tenant).toISOString();
  const call = structuredClone(stored.call);
  call.status = 'cancelled';
  call.ends_at = at;
  // Whoever cancels a scheduled call does it through the API, on the contact center's side:
  // the customer did not cancel anything, and is simply never called
  // (docs/decisions/0032-an-agents-cancel.md).
  for (const p of call.participants) {
    if (p.status === 'waiting') {
      p.status = 'failed';
      p.ended_at = at;
      p.fail_reason = 'ag_canceled';
    }
  }
  recordEvent(call, 'cancelled', at, null);
  return services.calls.save(tenant.id, { call, internal: stored.internal });
}
