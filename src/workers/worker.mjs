// Worker-thread entry of the pool: registers tsx (resolved next to this file, whatever the current
// directory) so the TypeScript worker runs under the CLI, vitest or a bench script alike.
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');
