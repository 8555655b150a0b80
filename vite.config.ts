import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { constants } from 'node:zlib';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The desk is built into dist/web and served by the Fastify server; in development Vite
// serves it with hot reload and proxies the desk's API path to the server.
const serverPort = Number(process.env.PORT ?? 8080);

export default defineConfig({
  plugins: [
    react(),
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
});
