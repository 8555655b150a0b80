import { z } from '../contract/zod.ts';
import { API_PREFIX, EMULATOR_PREFIX, MANAGER_PREFIX } from '../contract/client.ts';
import {
  CallSchema,
  ChooseOutboundNumberSchema,
  ChooseTicketNumberSchema,
} from '../contract/calls.ts';
import {
  BulkCancelRequestSchema,
  InboundCallRequestSchema,
  OutboundCallRequestSchema,
  ScheduledCallRequestSchema,
} from '../contract/call-requests.ts';
import { CustomerFlagsPatchSchema, CustomerFlagsSchema } from '../contract/customer-flags.ts';
import {
  CallSettingsSchema,
  DirectoryAgentSchema,
  DirectoryMenuSchema,
} from '../contract/directory.ts';
import {
  AgentPatchSchema,
  CallEventRequestSchema,
  ClockRequestSchema,
  ClockSchema,
  MenuPatchSchema,
  SettingsPatchSchema,
} from '../contract/emulator.ts';

// The OpenAPI 3.1 document, generated from the same zod schemas the server validates with
// and the desk's forms resolve with. Built once, on first request.

const schema = (s: z.ZodType) => {
  const json = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (s: object) => ({ 'application/json': { schema: s } });
const ErrorBody = {
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message'],
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: errorDescriptions[code] ?? 'Error', content: jsonContent(ref('Error')) },
    ]),
  );
const errorDescriptions: Record<number, string> = {
  400: 'Refused: the message says which check failed (see the error table).',
  401: 'Missing or wrong credentials.',
  404: 'Resource not found (or "Resource not found - Please check your subdomain").',
  409: "The call's status does not allow this event.",
  413: 'Body over 64 KB.',
  415: 'Body is not application/json.',
  429: 'Over 10 requests per second; see Retry-After.',
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } };

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'CCAI Platform Call API (Switchboard emulator)',
      version: '1.0.0',
      description:
        'The Call API as settled by CALL-API.md. HTTP Basic auth: the subdomain is the user name, ' +
        'an API token the password. Clients must ignore keys they do not know in responses.',
    },
    servers: [{ url: '/' }],
    security: [{ basic: [] }],
    components: {
      securitySchemes: { basic: { type: 'http', scheme: 'basic' } },
      schemas: {
        Error: ErrorBody,
        Call: schema(CallSchema),
        OutboundCallRequest: schema(OutboundCallRequestSchema),
        InboundCallRequest: schema(InboundCallRequestSchema),
        ScheduledCallRequest: schema(ScheduledCallRequestSchema),
        ChooseOutboundNumber: schema(ChooseOutboundNumberSchema),
        ChooseTicketNumber: schema(ChooseTicketNumberSchema),
        CustomerFlags: schema(CustomerFlagsSchema),
        CustomerFlagsPatch: schema(CustomerFlagsPatchSchema),
        BulkCancelRequest: schema(BulkCancelRequestSchema),
        Menu: schema(DirectoryMenuSchema),
        Agent: schema(DirectoryAgentSchema),
        CallSettings: schema(CallSettingsSchema),
        CallEventRequest: schema(CallEventRequestSchema),
        AgentPatch: schema(AgentPatchSchema),
        MenuPatch: schema(MenuPatchSchema),
        SettingsPatch: schema(SettingsPatchSchema),
        ClockRequest: schema(ClockRequestSchema),
        Clock: schema(ClockSchema),
      },
    },
    paths: {
      [`${API_PREFIX}/calls`]: {
        post: {
          summary: 'Create an outbound, inbound or scheduled call',
          requestBody: {
            required: true,
            content: jsonContent({
              oneOf: [
                ref('OutboundCallRequest'),
                ref('InboundCallRequest'),
                ref('ScheduledCallRequest'),
              ],
            }),
          },
          responses: {
            201: { description: 'The call', content: jsonContent(ref('Call')) },
            202: {
              description: 'Accepted; the agent must choose a number and send the request again',
              content: jsonContent({
                oneOf: [ref('ChooseOutboundNumber'), ref('ChooseTicketNumber')],
              }),
            },
            ...errors(400, 401, 404, 413, 415, 429),
          },
        },
        get: {
          summary: 'List calls, newest first',
          parameters: [
            ...['page', 'per'].map((name) => ({
              name,
              in: 'query',
              schema: { type: 'integer', minimum: 1 },
            })),
            ...[
              'status',
              'call_type',
              'agent_email',
              'end_user_number',
              'created_at[from]',
              'created_at[to]',
              'updated_at[from]',
              'updated_at[to]',
            ].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
            {
              name: 'sort_column',
              in: 'query',
              schema: { enum: ['id', 'created_at', 'updated_at'] },
            },
            { name: 'sort_direction', in: 'query', schema: { enum: ['ASC', 'DESC'] } },
          ],
          responses: {
            200: {
              description: 'A page of calls; headers Link (RFC 8288), Total and Per-Page',
              content: jsonContent({ type: 'array', items: ref('Call') }),
            },
            ...errors(400, 401, 404, 429),
          },
        },
      },
      [`${API_PREFIX}/calls/{id}`]: {
        get: {
          summary: 'Read a call',
          parameters: [idParam],
          responses: {
            200: { description: 'The call', content: jsonContent(ref('Call')) },
            ...errors(401, 404, 429),
          },
        },
      },
      [`${API_PREFIX}/calls/{id}/customer_flag`]: {
        get: {
          summary: 'Reserved data attributes during a call',
          parameters: [idParam],
          responses: {
            200: { description: 'The flags', content: jsonContent(ref('CustomerFlags')) },
            ...errors(401, 404, 429),
          },
        },
        patch: {
          summary: 'Update the flags (repeat_customers is accepted as repeat_customer)',
          parameters: [idParam],
          requestBody: { required: true, content: jsonContent(ref('CustomerFlagsPatch')) },
          responses: {
            200: {
              description: 'The flags after the change',
              content: jsonContent(ref('CustomerFlags')),
            },
            ...errors(400, 401, 404, 415, 429),
          },
        },
      },
      [`${API_PREFIX}/calls/scheduled/{id}/cancel`]: {
        patch: {
          summary: 'Cancel a scheduled call',
          parameters: [idParam],
          responses: {
            200: { description: 'The cancelled call', content: jsonContent(ref('Call')) },
            204: { description: 'Already cancelled' },
            ...errors(400, 401, 404, 429),
          },
        },
      },
      [`${API_PREFIX}/calls/scheduled/cancel`]: {
        patch: {
          summary: 'Cancel several scheduled calls',
          requestBody: { required: true, content: jsonContent(ref('BulkCancelRequest')) },
          responses: {
            200: {
              description: 'The calls cancelled',
              content: jsonContent({ type: 'array', items: ref('Call') }),
            },
            ...errors(400, 401, 404, 415, 429),
          },
        },
      },
      [`${MANAGER_PREFIX}/menus`]: {
        get: {
          summary: 'Menus',
          responses: {
            200: {
              description: 'Menus',
              content: jsonContent({ type: 'array', items: ref('Menu') }),
            },
          },
        },
      },
      [`${MANAGER_PREFIX}/agents`]: {
        get: {
          summary: 'Agents',
          responses: {
            200: {
              description: 'Agents',
              content: jsonContent({ type: 'array', items: ref('Agent') }),
            },
          },
        },
      },
      [`${MANAGER_PREFIX}/settings/call`]: {
        get: {
          summary: 'Call settings',
          responses: {
            200: { description: 'Settings', content: jsonContent(ref('CallSettings')) },
          },
        },
      },
      [`${EMULATOR_PREFIX}/reset`]: {
        post: {
          summary: 'Emulator: the tenant is the fixture again, with no calls',
          responses: { 204: { description: 'Reset' } },
        },
      },
      [`${EMULATOR_PREFIX}/agents/{email}`]: {
        patch: {
          summary: 'Emulator: change an agent',
          parameters: [{ name: 'email', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: jsonContent(ref('AgentPatch')) },
          responses: {
            200: { description: 'The agent', content: jsonContent(ref('Agent')) },
            ...errors(400, 404),
          },
        },
      },
      [`${EMULATOR_PREFIX}/menus/{id}`]: {
        patch: {
          summary: 'Emulator: change a menu',
          parameters: [idParam],
          requestBody: { required: true, content: jsonContent(ref('MenuPatch')) },
          responses: {
            200: { description: 'The menu', content: jsonContent(ref('Menu')) },
            ...errors(400, 404),
          },
        },
      },
      [`${EMULATOR_PREFIX}/settings`]: {
        patch: {
          summary: 'Emulator: change the call settings',
          requestBody: { required: true, content: jsonContent(ref('SettingsPatch')) },
          responses: {
            200: { description: 'The settings', content: jsonContent(ref('CallSettings')) },
            ...errors(400),
          },
        },
      },
      [`${EMULATOR_PREFIX}/calls/{id}/events`]: {
        post: {
          summary: 'Emulator: move a call on',
          parameters: [idParam],
          requestBody: { required: true, content: jsonContent(ref('CallEventRequest')) },
          responses: {
            200: { description: 'The call after the event', content: jsonContent(ref('Call')) },
            ...errors(400, 404, 409),
          },
        },
      },
      [`${EMULATOR_PREFIX}/clock`]: {
        post: {
          summary: "Emulator: move the tenant's clock",
          requestBody: { required: true, content: jsonContent(ref('ClockRequest')) },
          responses: {
            200: { description: 'The clock', content: jsonContent(ref('Clock')) },
            ...errors(400),
          },
        },
      },
    },
  };
  return cached;
}
