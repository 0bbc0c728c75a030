import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Tauri serves the built files itself; no dev server in normal use.
  clearScreen: false,
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  // Tests render components with Svelte's browser build in jsdom.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test-setup.ts"],
    // Each test drives the whole app in jsdom (with axe): several seconds when the suite runs
    // in parallel on a 2-core machine, past the default 5 s.
    testTimeout: 15000,
  },
}));
