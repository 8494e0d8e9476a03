// `ordeal init <folder>`: a new folder with a small, working actor model, its vitest test, and a
// package.json that installs ordeal from where this ordeal is. Refuses a folder that exists and is
// not empty (exit 2), and writes nothing then.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError } from '../api/models.ts';
import { writeFileAtomic } from './files.ts';

const MODEL = `// A small actor model to start from: node 0 (the leader) asks every follower to store a value;
// each follower stores it and acknowledges. Edit the protocol, its properties and its variants.
import { defineActorModel, NO_FAULTS, type ActorSpec } from 'ordeal';

type Msg = { type: 'store'; value: number } | { type: 'ack' };
interface Durable {
  readonly value: number | null;
}
interface Volatile {
  readonly acks: readonly number[];
}

function protocol(followers: number, variant: string): ActorSpec<Durable, Volatile, Msg> {
  const ids = Array.from({ length: followers }, (_, i) => i + 1);
  return {
    nodeCount: followers + 1,
    nodeName: (id) => (id === 0 ? 'leader' : \`f\${id}\`),
    init: (id) => ({
      state: { durable: { value: id === 0 ? 42 : null }, volatile: { acks: [] } },
      send: id === 0 ? ids.map((to) => ({ to, msg: { type: 'store', value: 42 } as Msg })) : [],
    }),
    onMessage(_id, state, from, msg) {
      if (msg.type === 'store') {
        // The bug a variant plants: the follower keeps the value only in memory.
        const value = variant === 'forgetful' ? state.durable.value : msg.value;
        return { state: { durable: { value }, volatile: state.volatile }, send: [{ to: from, msg: { type: 'ack' } }] };
      }
      if (state.volatile.acks.includes(from)) return undefined;
      return { state: { ...state, volatile: { acks: [...state.volatile.acks, from] } } };
    },
    onTimer: () => undefined,
    onRestart: (_id, durable) => ({ state: { durable, volatile: { acks: [] } } }),
    properties: [
      {
        name: 'AckedIsStored',
        description: 'a follower that acknowledged holds the value',
        kind: 'invariant',
        test: (w) => {
          const leader = w.nodes[0].volatile;
          return leader === null || leader.acks.every((f) => w.nodes[f].durable.value === 42);
        },
      },
      {
        name: 'AllAcked',
        description: 'the leader heard from every follower',
        kind: 'reachable',
        test: (w) => w.nodes[0].volatile !== null && w.nodes[0].volatile.acks.length === followers,
      },
    ],
    describeMessage: (m) => (m.type === 'store' ? \`store(\${m.value})\` : 'ack'),
  };
}

export const replicate = defineActorModel({
  name: 'replicate',
  version: 1,
  description: 'a leader stores a value on its followers',
  params: { followers: { default: 2, min: 1, max: 4, description: 'followers' } },
  variants: {
    default: { description: 'followers store the value, then acknowledge', expected: 'pass' },
    forgetful: { description: 'bug: followers acknowledge without storing', expected: 'AckedIsStored' },
  },
  defaultConfig: { network: 'unordered', faults: NO_FAULTS },
  protocol: (params, variant) => protocol(params.followers, variant),
});
`;

const TEST = `import { test } from 'vitest';
import { expectModel } from 'ordeal/vitest';
import { replicate } from './model.ts';

const modelFile = new URL('./model.ts', import.meta.url);

test('replication is safe, even with a crash', async () => {
  await expectModel(replicate, { crashes: 1, modelFile }).toPass();
});

test('the forgetful variant acknowledges what it did not store', async () => {
  await expectModel(replicate, { variant: 'forgetful', modelFile }).toViolate('AckedIsStored');
});
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noEmit": true,
    "allowImportingTsExtensions": true,
    "skipLibCheck": true
  },
  "include": ["*.ts"]
}
`;

/** This ordeal's package folder and the vitest version it is tested with. */
function ordealPackage(): { root: string; vitest: string } {
  const here = fileURLToPath(import.meta.url);
  const root = resolve(here, '..', '..', '..', ...(here.endsWith('.ts') ? [] : ['..']));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  return { root, vitest: pkg.devDependencies?.vitest ?? '^4' };
}

/** `file:` and a path from `target` to `path`, with forward slashes. */
const fileSpec = (target: string, path: string): string => `file:${relative(target, path).split(sep).join('/') || '.'}`;

/**
 * How the new project should install ordeal. From a clone, `file:` and its path. From a project's
 * node_modules (ordeal installed there from a git URL or a path), the spec that project used, so the
 * new project does not depend on another one's node_modules; with its `allowScripts` entry, which
 * npm 11 needs to build a git install.
 */
export function ordealSpec(root: string, target: string): { spec: string; allowScripts?: Record<string, boolean> } {
  if (basename(dirname(root)) === 'node_modules') {
    const host = dirname(dirname(root));
    try {
      const pkg = JSON.parse(readFileSync(join(host, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
      const spec = pkg.dependencies?.ordeal ?? pkg.devDependencies?.ordeal;
      if (typeof spec === 'string') {
        if (spec.startsWith('file:')) return { spec: fileSpec(target, resolve(host, spec.slice('file:'.length))) };
        const allowed = pkg.allowScripts?.[spec];
        return { spec, ...(allowed === true ? { allowScripts: { [spec]: true } } : {}) };
      }
    } catch {
      // No readable package.json above node_modules: fall back to the installed folder.
    }
  }
  return { spec: fileSpec(target, root) };
}

export function initCommand(folder: string): number {
  const target = resolve(folder);
  if (existsSync(target) && readdirSync(target).length > 0) throw new InputError(`init: ${folder} exists and is not empty; give a new folder`);
  const { root, vitest } = ordealPackage();
  const ordeal = ordealSpec(root, target);
  const name = basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-protocol';
  const pkg = {
    name,
    private: true,
    type: 'module',
    scripts: { test: 'vitest run', check: 'ordeal check ./model.ts', 'check:bug': 'ordeal check ./model.ts --variant forgetful' },
    devDependencies: { ordeal: ordeal.spec, vitest },
    ...(ordeal.allowScripts ? { allowScripts: ordeal.allowScripts } : {}),
  };
  mkdirSync(target, { recursive: true });
  writeFileAtomic(join(target, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileAtomic(join(target, 'tsconfig.json'), TSCONFIG);
  writeFileAtomic(join(target, 'model.ts'), MODEL);
  writeFileAtomic(join(target, 'model.test.ts'), TEST);
  process.stdout.write(
    `created ${folder}/: model.ts (an actor model), model.test.ts (its vitest test), package.json, tsconfig.json\n` +
      `next:\n  cd ${folder}\n  npm install\n  npx ordeal check ./model.ts                      # passes\n` +
      `  npx ordeal check ./model.ts --variant forgetful  # finds the planted bug\n  npm test\n`,
  );
  return 0;
}

export function registerInit(program: Command, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('create a folder with a small working actor model, its vitest test and a package.json that installs this ordeal')
    .argument('<folder>', 'a new (or empty) folder')
    .action((folder: string) => setExit(initCommand(folder)));
}
