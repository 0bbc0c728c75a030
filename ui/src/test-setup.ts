// Unmounts what each test rendered, so screens never leak into the next test.
import "@testing-library/svelte/vitest";

// The app loads its signed-in frame on its own after the first screen; tests load it up front so
// that a test's first screen after signing in does not wait for it to be transformed.
await import("./views/Shell.svelte");
