// The layering rules docs/architecture.md states, checked on the source itself: short files and
// functions, the CLI reaching the engine only through src/api, models written against the public
// API only. A rule broken here is a seam that came undone.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MAX_FILE_LINES = 450;
const MAX_FUNCTION_LINES = 150;

function filesUnder(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function sourceOf(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Relative imports and re-exports of a file, resolved to paths from the repository root. */
function importsOf(path: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      if (spec.startsWith('.')) out.push(relative(ROOT, resolve(ROOT, dirname(path), spec)).split(sep).join('/'));
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg) && arg.text.startsWith('.')) out.push(relative(ROOT, resolve(ROOT, dirname(path), arg.text)).split(sep).join('/'));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceOf(path));
  return out;
}

/** Every function-like node longer than the limit, as `name (lines)`. */
function longFunctions(path: string): string[] {
  const file = sourceOf(path);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) {
        const name = (node as ts.FunctionLikeDeclaration).name?.getText() ?? `<anonymous at line ${start + 1}>`;
        out.push(`${path}: ${name} (${lines} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

describe('the source stays readable', () => {
  const files = filesUnder('src');

  it(`no file under src/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ f, lines }) => `${f} (${lines})`);
    expect(long).toEqual([]);
  });

  it(`no function under src/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(longFunctions)).toEqual([]);
  });
});

describe('the layers keep their seams', () => {
  it('src/cli reaches the engine only through src/api (and the built-in models index)', () => {
    const allowed = (target: string): boolean =>
      target.startsWith('src/cli/') || target.startsWith('src/api/') || target === 'models/index.ts' || target === 'package.json';
    const crossings = filesUnder('src/cli').flatMap((f) => importsOf(f).filter((t) => !allowed(t)).map((t) => `${f} -> ${t}`));
    expect(crossings).toEqual([]);
  });

  it('the built-in models and their tests import only what a user imports', () => {
    const publicEntry = (target: string): boolean => target === 'src/index.ts' || target === 'src/vitest/index.ts';
    const files = [...filesUnder('models'), ...filesUnder('test/models')];
    const crossings = files.flatMap((f) =>
      importsOf(f)
        .filter((t) => t.startsWith('src/') && !publicEntry(t))
        .map((t) => `${f} -> ${t}`),
    );
    expect(crossings).toEqual([]);
  });

  it('the import rule above sees a crossing when there is one', () => {
    // Guards the guard: the resolver must turn a relative engine import into its root path.
    expect(importsOf('src/cli/main.ts').some((t) => t.startsWith('src/'))).toBe(true);
  });
});
