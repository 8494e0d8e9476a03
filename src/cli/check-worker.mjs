// Worker-thread entry of the level engine: registers tsx so the TypeScript worker runs without a
// build step, whether the parent is the CLI, vitest or a bench script.
import { register } from 'tsx/esm/api';
register();
await import('./check-worker.ts');
