import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The desk is built into dist/web and served by the Fastify server; in development Vite
// serves it with hot reload and proxies the desk's API path to the server.
const serverPort = Number(process.env.PORT ?? 8080);

export default defineConfig({
  plugins: [react()],
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
