import { EMBED_PROTOCOL, HostMessageSchema, type HostMessage } from '../../contract/embed.ts';

// The protocol's parsing: what a message from the host says, or why it is not one the
// desk takes (docs/embedding.md, src/contract/embed.ts). Pure functions, no state.

const HOST_TYPES: ReadonlySet<string> = new Set(['dial', 'open_call', 'set_agent']);

/** The message as JSON, cut short, for the console and the diagnostics page. */
export function preview(data: unknown): string {
  let text: string;
  try {
    text = typeof data === 'string' ? JSON.stringify(data) : (JSON.stringify(data) ?? String(data));
  } catch {
    text = Object.prototype.toString.call(data);
  }
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** The message's `type`, where it has a string one. */
export function typeOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const type = (data as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 60) : null;
}

/** Why data is not a host message, or null with the parsed message. */
export function parseHostMessage(
  data: unknown,
): { message: HostMessage; reason: null } | { message: null; reason: string } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { message: null, reason: `not a ${EMBED_PROTOCOL} message (not an object)` };
  }
  const { protocol, type } = data as { protocol?: unknown; type?: unknown };
  if (protocol !== EMBED_PROTOCOL) {
    return {
      message: null,
      reason: `not a ${EMBED_PROTOCOL} message (protocol: ${preview(protocol ?? null)})`,
    };
  }
  if (typeof type !== 'string' || !HOST_TYPES.has(type)) {
    return {
      message: null,
      reason: `unknown type ${preview(type ?? null)} (the desk takes dial, open_call and set_agent)`,
    };
  }
  const parsed = HostMessageSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`)
      .join('; ');
    return { message: null, reason: `malformed ${type}: ${issues}` };
  }
  return { message: parsed.data, reason: null };
}
