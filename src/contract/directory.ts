import { z } from './zod.ts';
import { MENU_STATES, MENU_TYPES } from './calls.ts';
import { lenientEnum, list, nullable } from './schema-helpers.ts';

// What the desk needs to fill its pickers, shaped after the real Manager API.

export const DirectoryMenuSchema = z.object({
  id: z.number(),
  name: z.string(),
  parent_id: nullable(z.number()),
  position: nullable(z.number()),
  menu_type: lenientEnum(MENU_TYPES),
  state: lenientEnum(MENU_STATES),
  deleted: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  hidden: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});
export type DirectoryMenu = z.output<typeof DirectoryMenuSchema>;
export const DirectoryMenuListSchema = z.array(DirectoryMenuSchema);

export const AGENT_STATUSES = ['available', 'unavailable'] as const;

export const DirectoryAgentSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: nullable(z.string()),
  first_name: nullable(z.string()),
  last_name: nullable(z.string()),
  agent_number: nullable(z.string()),
  avatar_url: nullable(z.string()),
  status: lenientEnum(AGENT_STATUSES),
  can_make_calls: z.boolean(),
  outbound_numbers: list(z.string()),
});
export type DirectoryAgent = z.output<typeof DirectoryAgentSchema>;
export const DirectoryAgentListSchema = z.array(DirectoryAgentSchema);

export const CallSettingsSchema = z.object({
  languages: list(z.string()),
  outbound_numbers: list(z.string()),
  default_outbound_number: nullable(z.string()),
});
export type CallSettings = z.output<typeof CallSettingsSchema>;
