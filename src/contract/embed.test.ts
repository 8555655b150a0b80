import { describe, expect, it } from 'vitest';
import {
  frameAncestorSources,
  isOriginAllowed,
  originMatchesRule,
  parseAllowList,
  parseOriginRule,
  HostMessageSchema,
  EMBED_PROTOCOL,
} from './embed.ts';

const rule = (entry: string) => {
  const parsed = parseOriginRule(entry);
  if (!parsed) throw new Error(`not a rule: ${entry}`);
  return parsed;
};

describe('origin rules', () => {
  it('an exact origin matches itself only', () => {
    const r = rule('https://crm.example.com');
    expect(originMatchesRule(r, 'https://crm.example.com')).toBe(true);
    // Browsers never write the default port in an origin: such a string is not one.
    expect(originMatchesRule(r, 'https://crm.example.com:443')).toBe(false);
    expect(originMatchesRule(r, 'http://crm.example.com')).toBe(false);
    expect(originMatchesRule(r, 'https://crm.example.com:8443')).toBe(false);
    expect(originMatchesRule(r, 'https://evil-crm.example.com')).toBe(false);
    expect(originMatchesRule(r, 'https://crm.example.com.evil.io')).toBe(false);
  });

  it('a leading *. matches subdomains at any depth but not the domain itself', () => {
    const r = rule('*.example.com');
    expect(originMatchesRule(r, 'https://a.example.com')).toBe(true);
    expect(originMatchesRule(r, 'https://a.b.example.com')).toBe(true);
    expect(originMatchesRule(r, 'https://example.com')).toBe(false);
    expect(originMatchesRule(r, 'https://notexample.com')).toBe(false);
  });

  it('no scheme means https, and http too on localhost', () => {
    expect(originMatchesRule(rule('example.com'), 'http://example.com')).toBe(false);
    expect(originMatchesRule(rule('localhost:3000'), 'http://localhost:3000')).toBe(true);
  });

  it('a port may be any (*) or one', () => {
    expect(originMatchesRule(rule('http://localhost:*'), 'http://localhost:5173')).toBe(true);
    expect(originMatchesRule(rule('http://localhost:*'), 'http://localhost')).toBe(true);
    expect(originMatchesRule(rule('http://localhost:3000'), 'http://localhost:3001')).toBe(false);
  });

  it('refuses what is not an origin rule', () => {
    for (const bad of [
      '',
      'https://',
      'ftp://x.com',
      'https://x.com/path',
      '*',
      'https://*',
      'x.com:99999',
      'a b.com',
    ]) {
      expect(parseOriginRule(bad), bad).toBeUndefined();
    }
    expect(parseAllowList(['https://ok.com', 'nope nope']).invalid).toEqual(['nope nope']);
  });

  it('null and opaque origins never match', () => {
    const rules = [rule('*.example.com'), rule('http://localhost:*')];
    expect(isOriginAllowed(rules, 'null')).toBe(false);
    expect(isOriginAllowed(rules, 'file://')).toBe(false);
    expect(isOriginAllowed(rules, 'http://localhost:1/x')).toBe(false);
    expect(isOriginAllowed(rules, 'https://desk.local', 'https://desk.local')).toBe(true);
  });

  it('turns rules into CSP frame-ancestors sources', () => {
    expect(
      frameAncestorSources([rule('*.example.com'), rule('http://localhost:*'), rule('localhost')]),
    ).toBe("'self' https://*.example.com http://localhost:* http://localhost https://localhost");
  });
});

describe('host messages', () => {
  it('accepts a well-formed dial and refuses another protocol or shape', () => {
    const dial = {
      protocol: EMBED_PROTOCOL,
      type: 'dial',
      payload: { end_user_number: '+1 205-123-4567' },
    };
    expect(HostMessageSchema.safeParse(dial).success).toBe(true);
    expect(HostMessageSchema.safeParse({ ...dial, protocol: 'switchboard/v0' }).success).toBe(
      false,
    );
    expect(HostMessageSchema.safeParse({ ...dial, type: 'hangup' }).success).toBe(false);
    expect(HostMessageSchema.safeParse('dial').success).toBe(false);
    expect(
      HostMessageSchema.safeParse({
        protocol: EMBED_PROTOCOL,
        type: 'open_call',
        payload: { id: -1 },
      }).success,
    ).toBe(false);
  });
});
