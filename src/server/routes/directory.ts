import type { FastifyInstance } from 'fastify';
import type { DirectoryAgent, DirectoryMenu, CallSettings } from '../../contract/directory.ts';
import { agentDisplayName, type TenantAgent, type TenantMenu } from '../domain/tenant.ts';
import type { Services } from '../services.ts';

// Read-only directory shaped after the real Manager API: what the desk's pickers need.

export function directoryMenu(m: TenantMenu): DirectoryMenu {
  return {
    id: m.id,
    name: m.name,
    parent_id: m.parent_id,
    position: m.position,
    menu_type: m.menu_type,
    state: m.state,
    deleted: m.deleted,
    hidden: m.hidden,
  };
}

export function directoryAgent(a: TenantAgent): DirectoryAgent {
  return {
    id: a.id,
    email: a.email,
    name: agentDisplayName(a),
    first_name: a.first_name,
    last_name: a.last_name,
    agent_number: a.agent_number,
    avatar_url: a.avatar_url,
    status: a.status,
    can_make_calls: a.can_make_calls,
    outbound_numbers: [...a.outbound_numbers],
  };
}

export async function directoryRoutes(app: FastifyInstance, _opts: { services: Services }) {
  app.get('/menus', async (request) => request.tenant!.directory.menus.map(directoryMenu));
  app.get('/agents', async (request) => request.tenant!.directory.agents.map(directoryAgent));
  app.get('/settings/call', async (request): Promise<CallSettings> => {
    const { settings } = request.tenant!.directory;
    return {
      languages: [...settings.languages],
      outbound_numbers: [...settings.outbound_numbers],
      default_outbound_number: settings.default_outbound_number,
    };
  });
}
