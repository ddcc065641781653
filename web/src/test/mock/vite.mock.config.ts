// TEST FIXTURE: Vite's dev server with the mock API (npm run dev:mock); never used by the build.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import base from '../../../vite.config.ts';
import { mockApi } from './mockApi.ts';

export default mergeConfig(
  base,
  defineConfig({
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    plugins: [mockApi(fileURLToPath(new URL('../../../../examples', import.meta.url)))],
    server: { host: '127.0.0.1', port: 5173, strictPort: false },
    preview: { host: '127.0.0.1', port: 4173, strictPort: false },
  }),
);
