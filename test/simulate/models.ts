// The model list simulation tests hand to worker threads: the ping fixture plus the built-in models.
import { builtinModels } from '../../models/index.ts';
import { pingModel } from '../fixtures/ping.ts';

export const models = [pingModel, ...builtinModels];
export const modelsModule = { url: new URL('./models.ts', import.meta.url).href, exportName: 'models' };
