import { defineConfig } from 'vitest/config';

// The UI is built into the module jar's classpath (dev/orchestra/web/static/), where the server
// serves it. Relative asset URLs (base './') and hash routing (#/runs/ID) mean the server needs no
// fallback route and the UI works under any path prefix. `npm run dev` serves the sources on
// 127.0.0.1:5173 in front of a running `orchestra serve` (ORCHESTRA_URL, default
// http://127.0.0.1:8080), whose API it proxies.
export default defineConfig({
  base: './',
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: process.env.ORCHESTRA_URL ?? 'http://127.0.0.1:8080' } },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'target/classes/dev/orchestra/web/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // React Flow marks its bundle "use client" for React Server Components, which do not apply here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  test: {
    include: ['src/test/ts/**/*.test.ts'],
    environment: 'node',
    benchmark: { include: ['src/bench/ts/**/*.bench.ts'] },
  },
});
