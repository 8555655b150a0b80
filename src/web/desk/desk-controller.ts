// What can drive a running desk from outside its pages: the embedding bridge (a CRM
// host's postMessage), and tests. The app implements it (app/create-desk.tsx); everything
// else depends only on this shape, never on the app.

export interface DialRequest {
  end_user_number?: string;
  ticket_id?: string;
  agent_email?: string;
  outbound_number?: string;
  lang?: string;
  /** Place the call at once instead of leaving the prefilled form for the agent. */
  createNow?: boolean;
}

export interface DeskController {
  /** Opens the outbound form prefilled with the request (and places the call if asked). */
  dial(request: DialRequest): Promise<void>;
  openCall(id: number): Promise<void>;
}

/** The outbound form's address for a dial request. */
export function dialPath(request: DialRequest): string {
  const params = new URLSearchParams();
  for (const key of [
    'end_user_number',
    'ticket_id',
    'agent_email',
    'outbound_number',
    'lang',
  ] as const) {
    const value = request[key];
    if (value) params.set(key, value);
  }
  if (request.createNow) params.set('create', '1');
  const query = params.toString();
  return `/calls/new/outbound${query ? `?${query}` : ''}`;
}
