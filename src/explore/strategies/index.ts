// The strategy registry: the one place strategy names are declared. Every other list of names (the
// CLI's --strategy choices, the library's option types, a variant's declared check) is derived from
// this one. A new strategy is a file beside this one and a line in ALL.
import { InputError } from '../../model/resolve.ts';
import type { ExhaustiveStrategy, SimulatedStrategy, Strategy, StrategyKind } from '../strategy.ts';
import { bfs } from './bfs.ts';
import { dfs } from './dfs.ts';
import { guided } from './guided.ts';
import { liveness } from './liveness.ts';
import { pct } from './pct.ts';
import { random } from './random.ts';
import { swarm } from './swarm.ts';

const ALL = [bfs, dfs, random, swarm, pct, guided, liveness] as const;

type Registered = (typeof ALL)[number];
export type StrategyName = Registered['name'];
export type ExhaustiveStrategyName = Extract<Registered, { kind: 'exhaustive' }>['name'];
export type SimulationStrategyName = Extract<Registered, { kind: 'simulation' }>['name'];

const BY_NAME: ReadonlyMap<string, Strategy> = new Map(ALL.map((s) => [s.name, s]));
if (BY_NAME.size !== ALL.length) throw new Error('strategy registry: two strategies share a name');

const namesOf = <N extends StrategyName>(kind: StrategyKind): readonly N[] => Object.freeze(ALL.filter((s) => s.kind === kind).map((s) => s.name as N));

export const STRATEGY_NAMES: readonly StrategyName[] = Object.freeze(ALL.map((s) => s.name));
export const EXHAUSTIVE_STRATEGY_NAMES = namesOf<ExhaustiveStrategyName>('exhaustive');
export const SIMULATION_STRATEGY_NAMES = namesOf<SimulationStrategyName>('simulation');

/** 'a', 'b' or 'c'. */
function choices(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

export function strategyNamed(name: unknown, kind: 'exhaustive', option?: string): ExhaustiveStrategy;
export function strategyNamed(name: unknown, kind: 'simulation', option?: string): SimulatedStrategy;
export function strategyNamed(name: unknown, kind?: StrategyKind, option?: string): Strategy;
/**
 * The strategy called `name` (of `kind`, when given). An unknown name throws an InputError naming
 * the valid ones; `option` is how the caller spells the option in that message (default `strategy`).
 */
export function strategyNamed(name: unknown, kind?: StrategyKind, option = 'strategy'): Strategy {
  const strategy = typeof name === 'string' ? BY_NAME.get(name) : undefined;
  if (strategy !== undefined && (kind === undefined || strategy.kind === kind)) return strategy;
  const valid = kind === 'exhaustive' ? EXHAUSTIVE_STRATEGY_NAMES : kind === 'simulation' ? SIMULATION_STRATEGY_NAMES : STRATEGY_NAMES;
  throw new InputError(`${option} must be ${choices(valid)}, got '${String(name)}'`);
}

/** True when `name` names a simulation strategy. */
export function isSimulationStrategy(name: string): name is SimulationStrategyName {
  return BY_NAME.get(name)?.kind === 'simulation';
}

export type { ExhaustiveStrategy, SimulatedStrategy, Strategy, StrategyKind } from '../strategy.ts';
