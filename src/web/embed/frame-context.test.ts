import { describe, expect, it } from 'vitest';
import { originOf, readFrameContext } from './frame-context.ts';

// Where the desk runs, and which origin it may address the framing page by.

function fakeWindow({
  framed = true,
  ancestorOrigins,
  referrer = '',
  parentThrows = false,
}: {
  framed?: boolean;
  ancestorOrigins?: string[];
  referrer?: string;
  parentThrows?: boolean;
}): Window {
  const win: Record<string, unknown> = {
    location: { origin: 'https://desk.example.com', ancestorOrigins },
    document: { referrer },
  };
  if (parentThrows) {
    Object.defineProperty(win, 'parent', {
      get() {
        throw new DOMException('Blocked', 'SecurityError');
      },
    });
  } else win.parent = framed ? {} : win;
  return win as unknown as Window;
}

describe('readFrameContext', () => {
  it('a tab of its own is not framed and has no parent origin', () => {
    expect(
      readFrameContext(fakeWindow({ framed: false, referrer: 'https://crm.example.com/' })),
    ).toEqual({
      framed: false,
      ownOrigin: 'https://desk.example.com',
      parentOrigin: null,
      parentOriginFrom: null,
    });
  });

  it('takes the parent from ancestorOrigins first', () => {
    const context = readFrameContext(
      fakeWindow({
        ancestorOrigins: ['https://crm.example.com', 'https://top.example.com'],
        referrer: 'https://other.example.com/x',
      }),
    );
    expect(context).toMatchObject({
      framed: true,
      parentOrigin: 'https://crm.example.com',
      parentOriginFrom: 'ancestorOrigins',
    });
  });

  it('falls back on the referrer, keeping only its origin', () => {
    expect(
      readFrameContext(fakeWindow({ referrer: 'https://crm.example.com:8443/tickets/71450?x=1' })),
    ).toMatchObject({
      framed: true,
      parentOrigin: 'https://crm.example.com:8443',
      parentOriginFrom: 'referrer',
    });
  });

  it('knows no parent when the browser says nothing, or says "null" (a sandboxed page)', () => {
    expect(readFrameContext(fakeWindow({}))).toMatchObject({
      framed: true,
      parentOrigin: null,
      parentOriginFrom: null,
    });
    expect(readFrameContext(fakeWindow({ ancestorOrigins: ['null'] }))).toMatchObject({
      parentOrigin: null,
    });
  });

  it('counts as framed when the parent cannot even be read', () => {
    expect(readFrameContext(fakeWindow({ parentThrows: true })).framed).toBe(true);
  });
});

describe('originOf', () => {
  it('is the origin of a URL, or null', () => {
    expect(originOf('https://crm.example.com/a/b?c')).toBe('https://crm.example.com');
    expect(originOf('http://localhost:4188/crm-host.html')).toBe('http://localhost:4188');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('data:text/html,x')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });
});
