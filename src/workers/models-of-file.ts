// Worker-side adapter: `models-of-file.ts?file=<file URL>` exports `models`, the models of that
// file, so simulation and parallel-check workers load a user's model through the module URL and
// export name they already take.
import { importModels } from './model-module.ts';

const file = new URL(import.meta.url).searchParams.get('file');
if (file === null) throw new Error('models-of-file: import it as models-of-file?file=<file URL>');

export const models = await importModels(file);
