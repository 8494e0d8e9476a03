// Typed model parameters: integers in a range, boolean switches and enumerations, parsed from `-p`
// text or taken as values, each bad value one InputError naming what is valid (exit 2 through the
// CLI), recorded in traces as typed values; a switch that used to be 0/1 still reads old traces.
import { describe, expect, it } from 'vitest';
import { multipaxos } from '../../models/multipaxos/index.ts';
import { zab } from '../../models/zab/index.ts';
import { check, defineActorModel, InputError, modelParams, NO_FAULTS, replay, type ParamDecl } from '../../src/index.ts';
import { formatList, listJson } from '../../src/cli/format.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { ordeal } from '../helpers/cli.ts';

/** A model with one parameter of each kind, whose protocol records what it was given. */
const seen: unknown[] = [];
const kinds = defineActorModel({
  name: 'kinds',
  version: 1,
  description: 'test: one parameter of each kind',
  params: {
    nodes: { default: 2, min: 1, max: 3, description: 'nodes' },
    fast: { type: 'boolean', default: false, description: 'a switch' },
    mode: { type: 'enum', choices: ['cut', 'full'], default: 'cut', description: 'a choice' },
    legacy: { type: 'enum', choices: ['off', 'on'], default: 'off', legacyNumbers: true, description: 'was 0/1' },
  },
  variants: { default: { description: 'as written', expected: 'pass' } },
  defaultConfig: { network: 'unordered', faults: NO_FAULTS },
  protocol: (params) => {
    seen.push(params);
    // Typed: params.fast is a boolean, params.mode is 'cut' | 'full'.
    const fast: boolean = params.fast;
    const mode: 'cut' | 'full' = params.mode;
    return {
      nodeCount: params.nodes,
      init: () => ({ state: { durable: { fast, mode }, volatile: null } }),
      onMessage: () => undefined,
      onTimer: () => undefined,
      onRestart: (_id: number, durable: { fast: boolean; mode: string }) => ({ state: { durable, volatile: null } }),
      properties: [{ name: 'True', description: 'holds', kind: 'invariant' as const, test: () => true }],
    };
  },
});

describe('parsing -p values', () => {
  it('reads integers, true/false and choice names, and gives typed values with the defaults filled in', () => {
    expect(resolveParams(kinds, ['nodes=3', 'fast=true', 'mode=full'])).toEqual({ nodes: 3, fast: true, mode: 'full', legacy: 'off' });
    expect(resolveParams(kinds, ['fast=false'])).toEqual({ nodes: 2, fast: false, mode: 'cut', legacy: 'off' });
    expect(modelParams(kinds, { mode: 'full' })).toEqual({ nodes: 2, fast: false, mode: 'full', legacy: 'off' });
  });

  it('reads 0 and 1 as a boolean, and as an enum declared with legacyNumbers, as they were written before', () => {
    expect(resolveParams(kinds, { fast: 1, legacy: 1 })).toMatchObject({ fast: true, legacy: 'on' });
    expect(resolveParams(kinds, ['fast=0', 'legacy=0'])).toMatchObject({ fast: false, legacy: 'off' });
  });

  it('refuses a bad value in one sentence naming the valid ones', async () => {
    const error = (assignment: string) => {
      try {
        resolveParams(kinds, [assignment]);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error(`${assignment} was accepted`);
    };
    expect(error('fast=yes')).toBe("parameter fast must be true or false, got 'yes'");
    expect(error('mode=half')).toBe("parameter mode must be one of cut, full, got 'half'");
    expect(error('mode=1')).toBe("parameter mode must be one of cut, full, got '1'");
    expect(error('legacy=2')).toBe("parameter legacy must be one of off, on, got '2'");
    expect(error('nodes=4')).toBe('parameter nodes = 4 is outside 1..3');
    expect(error('nodes=true')).toBe("parameter nodes must be an integer, got 'true'");
    expect(() => modelParams(kinds, { mode: 'half' as 'cut' })).toThrow("modelParams: parameter mode must be one of cut, full, got 'half'");
    await expect(async () => check(kinds, { params: { fast: 'yes' } })).rejects.toThrow("check: parameter fast must be true or false, got 'yes'");
  });

  it('refuses a declaration whose default is not of its type', () => {
    const declare = (decl: ParamDecl) => () =>
      defineActorModel({ ...kinds, params: { p: decl }, protocol: kinds.protocol as never });
    expect(declare({ type: 'boolean', default: 0 as never, description: '' })).toThrow('parameter p default 0 is not a boolean');
    expect(declare({ type: 'enum', choices: ['a'], default: 'b', description: '' })).toThrow("parameter p default 'b' is not one of a");
    expect(declare({ type: 'enum', choices: [], default: 'a', description: '' })).toThrow('parameter p needs a non-empty list of choices');
  });
});

describe('typed parameters in runs and traces', () => {
  it('hands the protocol typed values', async () => {
    seen.length = 0;
    await check(kinds, { params: { fast: true, mode: 'full' } });
    expect(seen.at(-1)).toEqual({ nodes: 2, fast: true, mode: 'full', legacy: 'off' });
  });

  it('records the typed value in a trace, and replays a trace that recorded the old 0/1', async () => {
    const r = await check(zab, { variant: 'zk-1419', params: { fle: 'full', requests: 0 } });
    expect(r.trace!.model.params).toEqual({ servers: 3, requests: 0, fle: 'full', txnlog: false, detect: 'disconnect', sync: 'atomic', disk: 'fused', sessions: false, reconnect: false, start: 'empty', progress: false, liveness: false });
    expect(replay(zab, r.trace!)).toMatchObject({ ok: true, property: 'NoVoteCircle', step: 16 });
    const old = { ...r.trace!, model: { ...r.trace!.model, params: { servers: 3, requests: 0, fle: 1, txnlog: 0, liveness: 0 } } };
    expect(replay(zab, JSON.stringify(old))).toMatchObject({ ok: true, property: 'NoVoteCircle', step: 16 });
  });
});

describe('ordeal list', () => {
  it('shows each parameter with its range, true|false, or its choices', () => {
    const text = formatList([zab, multipaxos]);
    expect(text).toContain('servers=3 (2..5, number of servers)');
    expect(text).toContain('fle=one-vote (one-vote|full|finalize, ');
    expect(text).toContain('txnlog=false (true|false, ');
    expect(text).toContain('broadcast=false (true|false, ');
  });

  it('gives each parameter its type, and an enum its choices, in --json', () => {
    const [model] = (listJson([zab]) as { models: { params: Record<string, unknown>[] }[] }).models;
    expect(model.params.map(({ description: _, ...p }) => p)).toEqual([
      { name: 'servers', type: 'integer', default: 3, min: 2, max: 5 },
      { name: 'requests', type: 'integer', default: 2, min: 0, max: 6 },
      { name: 'fle', type: 'enum', default: 'one-vote', choices: ['one-vote', 'full', 'finalize'] },
      { name: 'txnlog', type: 'boolean', default: false },
      { name: 'detect', type: 'enum', default: 'disconnect', choices: ['disconnect', 'timeout'] },
      { name: 'sync', type: 'enum', default: 'atomic', choices: ['atomic', 'packets'] },
      { name: 'disk', type: 'enum', default: 'fused', choices: ['fused', 'separate'] },
      { name: 'sessions', type: 'boolean', default: false },
      { name: 'reconnect', type: 'boolean', default: false },
      { name: 'start', type: 'enum', default: 'empty', choices: ['empty', 'lost-epoch', 'orphan-txn', 'missed-txn'] },
      { name: 'progress', type: 'boolean', default: false },
      { name: 'liveness', type: 'boolean', default: false },
    ]);
  });

  it('exits 2 with one line naming the choices for a bad -p value', () => {
    const r = ordeal('check', 'zab', '-p', 'fle=bogus');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("ordeal: parameter fle must be one of one-vote, full, finalize, got 'bogus'");
  });
});
