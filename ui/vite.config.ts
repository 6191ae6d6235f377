/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Tauri serves the built files itself and expects a fixed dev port (tauri.conf.json).
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      output: {
        // Each domain's pages (lib/<domain>/pages.ts) are a chunk loaded on first visit: named
        // after the domain ("plan-pages-….js"), not all "pages-….js".
        chunkFileNames: (chunk) => {
          const domain = /\/lib\/([^/]+)\/pages\.ts$/.exec(chunk.facadeModuleId ?? '')?.[1];
          return `assets/${domain === undefined ? '' : `${domain}-`}[name]-[hash].js`;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
