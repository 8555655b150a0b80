// The schemas the client checks answers with (zod), in a module of their own: the client
// imports it when it first has an answer to check, so a page can send its first requests
// (and paint) before zod has arrived.

export { AcceptedSchema, CallListSchema, CallSchema } from './calls.ts';
export { CustomerFlagsSchema } from './customer-flags.ts';
export {
  CallSettingsSchema,
  DirectoryAgentListSchema,
  DirectoryAgentSchema,
  DirectoryMenuListSchema,
  DirectoryMenuSchema,
} from './directory.ts';
export { ClockSchema } from './emulator.ts';
export {
  CreateOutcomeSchema,
  DeskEmbedSchema,
  DeskSessionSchema,
  HandoffAnswerSchema,
  HistorySchema,
} from './desk.ts';
