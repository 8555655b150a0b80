import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

// The floor: Fastify on Node with nothing behind it, answering the same bytes our server
// does (canned, no auth, no validation, no database). No Node server on this machine can
// beat it, so it shows how much of a figure is the HTTP stack and how much is our work.
// Started by bench/api.ts: PORT and CANNED (a JSON file of the bodies) in the environment.

const canned = JSON.parse(readFileSync(process.env.CANNED!, 'utf8')) as {
  call: string;
  created: string;
  page: string;
};
const app = Fastify({ logger: false });
const json = 'application/json; charset=utf-8';
app.get('/apps/api/v1/calls/:id', async (_request, reply) => reply.type(json).send(canned.call));
app.get('/apps/api/v1/calls', async (_request, reply) => reply.type(json).send(canned.page));
app.post('/apps/api/v1/calls', async (_request, reply) =>
  reply.code(201).type(json).send(canned.created),
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
