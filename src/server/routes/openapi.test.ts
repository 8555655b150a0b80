import { describe, expect, it } from 'vitest';
import { useTestServer } from '../test/test-server.ts';

// The OpenAPI document and the reference page that renders it.

const server = useTestServer();

describe('GET /apps/api/v1/openapi.json', () => {
  it('is OpenAPI 3.1 with every path and method of the API, the directory and the control API', async () => {
    const answer = await server.request('GET', '/apps/api/v1/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = answer.body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const methods = Object.fromEntries(
      Object.entries(doc.paths).map(([path, item]) => [path, Object.keys(item).sort()]),
    );
    expect(methods).toMatchObject({
      '/apps/api/v1/calls': ['get', 'post'],
      '/apps/api/v1/calls/{id}': ['get'],
      '/apps/api/v1/calls/{id}/customer_flag': ['get', 'patch'],
      '/apps/api/v1/calls/scheduled/{id}/cancel': ['patch'],
      '/apps/api/v1/calls/scheduled/cancel': ['patch'],
      '/manager/api/v1/menus': ['get'],
      '/manager/api/v1/agents': ['get'],
      '/manager/api/v1/settings/call': ['get'],
      '/emulator/reset': ['post'],
      '/emulator/agents/{email}': ['patch'],
      '/emulator/menus/{id}': ['patch'],
      '/emulator/settings': ['patch'],
      '/emulator/clock': ['post'],
      '/emulator/calls/{id}/events': ['post'],
    });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Call',
        'OutboundCallRequest',
        'InboundCallRequest',
        'ScheduledCallRequest',
      ]),
    );
    const post = doc.paths['/apps/api/v1/calls']!.post as { responses: Record<string, unknown> };
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '202', '400', '401', '404', '413', '415', '429']),
    );
  });
});

describe('GET /docs', () => {
  it('answers an HTML page that loads the document, with its assets served locally', async () => {
    const page = await server.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="swagger-ui">');
    const init = await server.request('GET', '/docs/init.js');
    expect(init.text).toContain('/apps/api/v1/openapi.json');
    const css = await server.request('GET', '/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.text.length).toBeGreaterThan(1000);
  });

  it('follows the desk: a way back to it, its colours, its light or dark scheme', async () => {
    const page = await server.request('GET', '/docs');
    expect(page.text).toMatch(/<a href="\/calls">[^<]*Switchboard<\/a>/);
    expect(page.text).toContain('<link rel="stylesheet" href="/docs/theme.css" />');
    const theme = await server.request('GET', '/docs/theme.css');
    expect(theme.status).toBe(200);
    expect(theme.headers.get('content-type')).toMatch(/^text\/css/);
    expect(theme.text).toContain("html[data-scheme='dark']");
    const init = await server.request('GET', '/docs/init.js');
    expect(init.text).toContain("localStorage.getItem('mui-mode')");
  });
});
