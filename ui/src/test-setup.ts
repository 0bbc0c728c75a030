// Unmounts what each test rendered, so screens never leak into the next test.
import "@testing-library/svelte/vitest";
