// Svelte 5 understands TypeScript in <script lang="ts"> itself; nothing to preprocess.
export default {};
