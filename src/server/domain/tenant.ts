import type { Lenient } from '../../contract/schema-helpers.ts';

// A tenant's directory as the emulator keeps it: agents, menus, call settings and the CRM
// tickets that outbound and inbound calls resolve. Held in memory, persisted as JSON.

export interface TenantAgent {
  id: number;
  email: string;
  first_name: string | null;
  last_name: string | null;
  agent_number: string | null;
  avatar_url: string | null;
  status: Lenient<'available' | 'unavailable'>;
  can_make_calls: boolean;
  outbound_numbers: string[];
  /** Manager API roles ("agent", "manager", "admin"). */
  roles?: string[];
  /** Disabled in the tenant: no longer an agent for the Call API, and the desk ends its sessions. */
  disabled?: boolean;
  /** When `status` last changed (ISO), for the Manager API's `status_updated_at`. */
  status_updated_at?: string | null;
}

export interface TenantMenu {
  id: number;
  name: string;
  parent_id: number | null;
  position: number;
  menu_type: string;
  state: string;
  recording_option: Lenient<'always' | 'never' | 'ask'>;
  output_msg: string | null;
  hidden: boolean;
  deleted: boolean;
}

export interface TenantContact {
  id: number;
  identifier: string | null;
  out_contact_id: string | null;
}

export interface TenantTicket {
  ticket_id: string;
  end_user: TenantContact;
  phone_numbers: string[];
}

interface TenantSettings {
  languages: string[];
  outbound_numbers: string[];
  default_outbound_number: string;
}

export interface TenantDirectory {
  agents: TenantAgent[];
  menus: TenantMenu[];
  tickets: TenantTicket[];
  settings: TenantSettings;
}

/** The fixture file's shape (../fixtures/fixture-tenant.json). */
export interface TenantFixture extends TenantSettings {
  subdomain: string;
  api_token: string;
  agents: TenantAgent[];
  menus: TenantMenu[];
  tickets: TenantTicket[];
}

export function agentDisplayName(agent: TenantAgent): string {
  return [agent.first_name, agent.last_name].filter(Boolean).join(' ') || agent.email;
}
