import { describe, expect, it } from 'vitest';

// The desk's CSP has no 'unsafe-eval': zod must never probe for it, on either side. The
// probe runs when the first object schema is built, so the setting must come first.

describe('zod, as the schemas get it', () => {
  it('is jitless once any schema module is loaded', async () => {
    await import('./calls.ts');
    const { z } = await import('zod');
    expect(z.config().jitless).toBe(true);
  });

  it('builds object schemas that parse without compiling code', async () => {
    const calls: string[] = [];
    const original = globalThis.Function;
    // Anything that asks for `new Function` now is what the CSP would refuse.
    globalThis.Function = new Proxy(original, {
      construct(target, args) {
        calls.push(String(args.at(-1)));
        return Reflect.construct(target, args);
      },
    });
    try {
      const { CallSchema } = await import('./calls.ts');
      expect(CallSchema.safeParse({ id: 1 }).success).toBeDefined();
    } finally {
      globalThis.Function = original;
    }
    expect(calls).toEqual([]);
  });
});
