import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { apiErrorText } from '../../contract/api-errors.ts';
import { parseIsoDateTime } from '../../contract/calls.ts';
import {
  AgentPatchSchema,
  ClockRequestSchema,
  MenuPatchSchema,
  SettingsPatchSchema,
} from '../../contract/emulator.ts';
import { isIso6391 } from '../../contract/languages.ts';
import { isWellFormedPhone } from '../../contract/phone.ts';
import { FaultsSchema, NO_FAULTS } from '../emulator/faults.ts';
import { applyEvent } from '../emulator/lifecycle.ts';
import { jsonObjectBody } from '../http/body.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { pathId } from './calls.ts';
import { directoryMenu, managerAgent } from './directory.ts';

// The emulator's control API: puts the tenant into each state and moves calls through
// their lives. Registered only when the server is the emulator.

function parsePatch<S extends z.ZodType>(schema: S, body: Record<string, unknown>, keys: string[]) {
  const result = schema.safeParse(body);
  if (!result.success) {
    const key = String(result.error.issues[0]?.path[0] ?? 'body');
    throw badRequest(apiErrorText.paramNotWellFormed(key));
  }
  const patch = result.data as Record<string, unknown>;
  if (!keys.some((k) => patch[k] !== undefined)) {
    throw badRequest(`${keys.slice(0, -1).join(', ')} or ${keys.at(-1)} required`);
  }
  return result.data as z.output<S>;
}

const LATEST_CLOCK_MS = Date.parse('9999-12-31T00:00:00.000Z');

export async function emulatorRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { tenants, calls } = services;

  app.post('/reset', async (request, reply) => {
    tenants.reset(request.tenant!);
    services.faults.delete(request.tenant!.id);
    return reply.code(204).send();
  });

  app.put('/faults', async (request) => {
    const tenant = request.tenant!;
    const patch = parsePatch(FaultsSchema, jsonObjectBody(request), [
      'create_delay_ms',
      'create_lost',
    ]);
    const next = { ...(services.faults.get(tenant.id) ?? NO_FAULTS), ...patch };
    services.faults.set(tenant.id, next);
    return next;
  });

  app.patch<{ Params: { email: string } }>('/agents/:email', async (request) => {
    const tenant = request.tenant!;
    const body = jsonObjectBody(request);
    const email = request.params.email.toLowerCase();
    if (!tenant.directory.agents.some((a) => a.email.toLowerCase() === email)) throw notFound();
    const patch = parsePatch(AgentPatchSchema, body, [
      'status',
      'can_make_calls',
      'outbound_numbers',
      'first_name',
      'last_name',
      'avatar_url',
      'disabled',
    ]);
    if (patch.outbound_numbers?.some((n) => !isWellFormedPhone(n))) {
      throw badRequest(apiErrorText.paramNotWellFormed('outbound_numbers'));
    }
    const at = tenants.now(tenant).toISOString();
    tenants.updateDirectory(tenant, (d) => {
      const agent = d.agents.find((a) => a.email.toLowerCase() === email)!;
      if (patch.status !== undefined && patch.status !== agent.status) agent.status_updated_at = at;
      Object.assign(agent, patch);
    });
    return managerAgent(tenant.directory.agents.find((a) => a.email.toLowerCase() === email)!);
  });

  app.patch<{ Params: { id: string } }>('/menus/:id', async (request) => {
    const tenant = request.tenant!;
    const body = jsonObjectBody(request);
    const id = pathId(request.params.id);
    if (!tenant.directory.menus.some((m) => m.id === id)) throw notFound();
    const patch = parsePatch(MenuPatchSchema, body, [
      'state',
      'deleted',
      'menu_type',
      'recording_option',
    ]);
    tenants.updateDirectory(tenant, (d) => {
      Object.assign(
        d.menus.find((m) => m.id === id)!,
        patch,
      );
    });
    return directoryMenu(tenant.directory.menus.find((m) => m.id === id)!);
  });

  app.patch('/settings', async (request) => {
    const tenant = request.tenant!;
    const body = jsonObjectBody(request);
    const patch = parsePatch(SettingsPatchSchema, body, [
      'languages',
      'outbound_numbers',
      'default_outbound_number',
    ]);
    if (patch.languages?.some((l) => !isIso6391(l))) {
      throw badRequest(apiErrorText.paramNotWellFormed('languages'));
    }
    if (patch.outbound_numbers?.some((n) => !isWellFormedPhone(n))) {
      throw badRequest(apiErrorText.paramNotWellFormed('outbound_numbers'));
    }
    if (
      patch.default_outbound_number !== undefined &&
      !isWellFormedPhone(patch.default_outbound_number)
    ) {
      throw badRequest(apiErrorText.paramNotWellFormed('default_outbound_number'));
    }
    tenants.updateDirectory(tenant, (d) => Object.assign(d.settings, patch));
    return tenant.directory.settings;
  });

  app.post<{ Params: { id: string } }>('/calls/:id/events', async (request, reply) => {
    const tenant = request.tenant!;
    const body = jsonObjectBody(request);
    const id = pathId(request.params.id);
    services.promoteDueCalls(tenant);
    const json = calls.transaction(() => {
      const stored = calls.get(tenant.id, id);
      if (!stored) throw notFound();
      const outcome = applyEvent(stored.call, stored.internal, body, {
        now: tenants.now(tenant).toISOString(),
        directory: tenant.directory,
        nextParticipantId: () => calls.nextId('participant'),
        nextTransferId: () => calls.nextId('transfer'),
      });
      if (!outcome.ok) throw new HttpError(outcome.status, outcome.message);
      if (outcome.child) {
        const child = outcome.child;
        calls.insert(tenant.id, (childId) => ({
          call: child(childId),
          internal: { hold_started_at: null, participant_holds: {} },
        }));
      }
      return calls.save(tenant.id, { call: outcome.call, internal: outcome.internal });
    });
    return reply.type('application/json; charset=utf-8').send(json);
  });

  app.post('/clock', async (request) => {
    const tenant = request.tenant!;
    const body = jsonObjectBody(request);
    const parsed = ClockRequestSchema.safeParse(body);
    if (!parsed.success) throw badRequest('now or advance_ms required');
    const key = 'now' in parsed.data ? 'now' : 'advance_ms';
    let target: number;
    if ('now' in parsed.data) {
      const date = parseIsoDateTime(parsed.data.now);
      if (!date) throw badRequest(apiErrorText.paramNotWellFormed('now'));
      target = date.getTime();
    } else {
      target = tenants.now(tenant).getTime() + parsed.data.advance_ms;
    }
    // Past year 9999 toISOString() writes "+010000-...": not the ISO 8601 form every
    // timestamp of the API must have, nor one the API would read back. A day is left for
    // real time to pass on a clock set close to the end.
    if (target > LATEST_CLOCK_MS) throw badRequest(apiErrorText.paramNotWellFormed(key));
    // The new time and what it brings (calls falling due, autoplay) are stored together.
    // In the call store's transaction: the calls it changes are told of once committed.
    const now = tenants.setClock(
      tenant,
      target,
      () => {
        services.applyDueCalls(tenant);
        services.autoplayDueCalls(tenant);
        return tenants.now(tenant);
      },
      (work) => calls.transaction(work),
    );
    return { now: now.toISOString() };
  });
}
