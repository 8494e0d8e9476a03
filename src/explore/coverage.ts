// Action coverage, as TLC reports it: for each action, how many transitions it contributed and how
// many new distinct states it found. An action that never fires is where a model or its bounds are
// wrong (a handler no message reaches, a bound too small for a phase to start), so the report lists
// every action the model declares, fired or not.
import type { Event, TransitionSystem } from '../model/system.ts';

export interface ActionCoverage {
  readonly action: string;
  /** Transitions taken by this action (self-loops included). */
  readonly fired: number;
  /** Distinct states first reached through this action. */
  readonly newStates: number;
  /** Whether the model declares this action (undeclared ones are listed as they fire). */
  readonly declared: boolean;
}

/** What a search tells an observer: each state it expands, then each successor and whether it was new. */
export interface TransitionObserver<S> {
  initial(isNew: boolean): void;
  expanding(state: S): void;
  transition(index: number, isNew: boolean): void;
}

export const INITIAL_ACTION = 'Init';

/** The action an event performs when the system names none: its kind, or a spec action's name. */
export function defaultActionOf(event: Event): string {
  return event.kind === 'action' ? String(event.action) : event.kind;
}

/**
 * The action of each event, as the system names it (or by default). Worlds share their event
 * objects, so each event's label is worked out once.
 */
export function actionLabeller(system: TransitionSystem<any>): (event: Event) => string {
  const actionOf = system.actionOf ? (e: Event) => system.actionOf!(e) : defaultActionOf;
  const labels = new Map<Event, string>();
  return (event) => {
    let label = labels.get(event);
    if (label === undefined) labels.set(event, (label = actionOf(event)));
    return label;
  };
}

export class CoverageCounter<S> implements TransitionObserver<S> {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly fired: number[] = [];
  private readonly newStates: number[] = [];
  private current: number[] = [];
  private readonly declared: ReadonlySet<string>;
  private readonly actionOf: (event: Event) => string;

  constructor(private readonly system: TransitionSystem<S>) {
    this.actionOf = actionLabeller(system);
    this.declared = new Set(system.declaredActions ?? []);
    this.idOf(INITIAL_ACTION);
    for (const action of system.declaredActions ?? []) this.idOf(action);
  }

  private idOf(action: string): number {
    let id = this.ids.get(action);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(action, id);
      this.names.push(action);
      this.fired.push(0);
      this.newStates.push(0);
    }
    return id;
  }

  initial(isNew: boolean): void {
    this.fired[0]++;
    if (isNew) this.newStates[0]++;
  }

  expanding(state: S): void {
    this.current = this.system.enabled(state).map((e) => this.idOf(this.actionOf(e)));
    for (const id of this.current) this.fired[id]++;
  }

  transition(index: number, isNew: boolean): void {
    if (isNew) this.newStates[this.current[index]]++;
  }

  /** Init first, then the declared actions in declaration order, then the others by name. */
  result(): ActionCoverage[] {
    const rows = this.names.map((action, id) => ({ action, fired: this.fired[id], newStates: this.newStates[id], declared: id === 0 || this.declared.has(action) }));
    const declaredOrder = [INITIAL_ACTION, ...(this.system.declaredActions ?? [])];
    const rank = (action: string) => {
      const at = declaredOrder.indexOf(action);
      return at < 0 ? declaredOrder.length : at;
    };
    return rows.sort((a, b) => rank(a.action) - rank(b.action) || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
  }
}

/** The declared actions that never fired. */
export function neverFired(coverage: readonly ActionCoverage[]): string[] {
  return coverage.filter((c) => c.declared && c.fired === 0).map((c) => c.action);
}
