import { parse } from '@formatjs/icu-messageformat-parser';
import formatjs from '@formatjs/unplugin/vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { constants } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The desk is built into dist/web and served by the Fastify server; in development Vite
// serves it with hot reload and proxies the desk's API path to the server.
const serverPort = Number(process.env.PORT ?? 8080);

/** The message catalogues of the desk's locales (src/web/desk/messages/<locale>.json). */
const CATALOGUE = /\/src\/web\/desk\/messages\/[a-z]{2}(-[A-Z]{2})?\.json$/;

/**
 * Each catalogue is parsed here, at build time, into the message format's syntax tree, as
 * the FormatJS plugin does with the English default messages in the code: the desk then
 * ships without the message parser (docs/decisions/0031-words-and-locales.md).
 */
export function compiledCatalogues(): Plugin {
  return {
    name: 'switchboard:compiled-catalogues',
    enforce: 'pre',
    load(id) {
      const path = id.split('?')[0]!;
      if (!CATALOGUE.test(path)) return null;
      const messages = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
      const compiled = Object.fromEntries(
        Object.entries(messages).map(([key, message]) => [key, parse(message)]),
      );
      // Still JSON: Vite's own JSON plugin makes the module of it.
      return { code: JSON.stringify(compiled), map: null };
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    formatjs({ ast: true }),
    compiledCatalogues(),
    // Every asset also as .br and .gz, compressed once at build time at the highest levels
    // (too slow per request): the server sends the one the browser accepts.
    compression({
      algorithms: [
        defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        defineAlgorithm('gzip', { level: 9 }),
      ],
      logLevel: 'silent',
    }),
  ],
  root: '.',
  publicDir: 'public',
  resolve: {
    // Every message reaches the browser parsed (above): the parser stays out of the bundle.
    alias:
      command === 'build'
        ? [
            {
              find: /^@formatjs\/icu-messageformat-parser$/,
              replacement: '@formatjs/icu-messageformat-parser/no-parser.js',
            },
          ]
        : [],
  },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: Number(process.env.VITE_PORT ?? 5173),
    proxy: {
      '/desk/api': { target: `http://127.0.0.1:${serverPort}`, changeOrigin: false },
      '/docs': { target: `http://127.0.0.1:${serverPort}` },
    },
  },
}));
