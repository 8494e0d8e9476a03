// The world's tcp network kind as Zab uses it, stepped by hand through the transition system: a
// crash closes the crashed node's connections (what was in flight on them is lost) and the other
// ends hear of it at once (onDisconnect). An engine test on a model's states, so it builds the
// system itself; the model's own tests are in test/models/zab.test.ts.
import { describe, expect, it } from 'vitest';
import { zab } from '../../models/zab/index.ts';
import { resolveParams } from '../../src/model/resolve.ts';

describe('zab: tcp connections as the model uses them', () => {
  it('a crashed leader\'s followers go back to LOOKING within the crash, and nothing stays in flight to or from it', () => {
    const system = zab.build({ params: resolveParams(zab, { requests: 0 }), variant: 'default', config: { network: 'tcp', faults: { crashes: 1, partitions: 0, drops: 0, duplicates: 0 } } });
    // Take the first enabled delivery or timer until a leader is established, then crash it.
    type Shown = { nodes: Record<string, { DOWN?: true; volatile?: { role: { state: string; phase?: string } } }>; inFlight: string[] };
    const shown = (x: unknown) => system.show(x) as unknown as Shown;
    const leaderOf = (x: unknown): number =>
      Object.values(shown(x).nodes).findIndex((n) => !n.DOWN && n.volatile?.role.state === 'LEADING' && n.volatile.role.phase === 'broadcast');
    let w = system.initialStates()[0];
    for (let i = 0; i < 100 && leaderOf(w) < 0; i++) {
      const next = system.enabled(w).find((e) => e.kind === 'deliver' || e.kind === 'timer');
      expect(next).toBeDefined();
      w = system.step(w, next!);
    }
    const leader = leaderOf(w);
    expect(leader).toBeGreaterThanOrEqual(0);
    expect(shown(w).inFlight.some((m) => m.startsWith(`s${leader} ->`) || m.includes(`-> s${leader}:`))).toBe(true);
    const crash = system.enabled(w).find((e) => e.kind === 'crash' && e.node === leader)!;
    const after = shown(system.step(w, crash));
    Object.entries(after.nodes).forEach(([name, n]) => {
      if (name !== `s${leader}`) expect(n.volatile?.role.state, name).toBe('LOOKING');
    });
    expect(after.inFlight.some((m) => m.startsWith(`s${leader} ->`) || m.includes(`-> s${leader}:`))).toBe(false);
  });
});
