// Rendering counterexamples: the shared reading (messages followed from send to delivery), the text
// timeline's initial state, Mermaid diagrams that mermaid itself parses, and the HTML page's
// structure and escaping. The page in a real browser is test/trace/browser.test.ts.
import mermaid from 'mermaid';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { runCheck } from '../../src/check/run.ts';
import type { ModelDefinition, RunConfig } from '../../src/model/define.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import type { Event } from '../../src/model/system.ts';
import { TRACE_FORMAT, TRACE_VERSION, type Trace } from '../../src/trace/format.ts';
import { readTrace, type TraceReading } from '../../src/trace/reading.ts';
import { renderHtml } from '../../src/trace/render-html.ts';
import { mermaidText, renderMermaid } from '../../src/trace/render-mermaid.ts';
import { renderText } from '../../src/cli/render-command.ts';
import { pingModel } from '../fixtures/ping.ts';
import { HOSTILE_MESSAGE, HOSTILE_NODE_NAMES, HOSTILE_PROPERTY, hostileModel } from '../fixtures/hostile.ts';

const model = (name: string) => builtinModels.find((m) => m.name === name)!;

const readings = new Map<string, TraceReading>();

/** The BFS counterexample of a mutant, read (once per test file). */
function counterexample(m: ModelDefinition, variant: string): TraceReading {
  const key = `${m.name}/${variant}`;
  if (!readings.has(key)) readings.set(key, check(m, variant));
  return readings.get(key)!;
}

function check(m: ModelDefinition, variant: string): TraceReading {
  const report = runCheck({ model: m, variant, params: resolveParams(m, []), config: m.defaultConfig, strategy: 'bfs', search: {} });
  expect(report.trace).not.toBeNull();
  return readTrace(report.system, report.trace!);
}

/** A seeded random walk of `length` events through a model variant that never breaks its invariants. */
function walk(m: ModelDefinition, config: RunConfig, seed: number, length: number): TraceReading {
  const params = resolveParams(m, []);
  const system = m.build({ params, variant: 'default', config });
  let state = system.retain(system.initialStates()[0]);
  const events: Event[] = [];
  let x = seed;
  for (let i = 0; i < length; i++) {
    const enabled = system.enabled(state);
    if (enabled.length === 0) break;
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const event = enabled[(x >>> 8) % enabled.length];
    events.push(event);
    state = system.retain(system.step(state, event));
  }
  const trace: Trace = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    model: { name: m.name, version: m.version, variant: 'default', params },
    config,
    strategy: 'walk',
    seed,
    initial: 0,
    events,
    violation: null,
  };
  return readTrace(system, trace);
}

const inFlightAt = (r: TraceReading, i: number): string[] => ((i === 0 ? r.initial : r.steps[i - 1].state) as { inFlight: string[] }).inFlight;

/** The messages the reading says are in flight after step i, as sorted keys. */
function openAt(r: TraceReading, i: number): string[] {
  const keeps = r.network === 'set';
  return r.messages
    .filter((m) => {
      const ends = [m.droppedAt, m.lostAt, keeps ? null : (m.deliveredAt[0] ?? null)].filter((s): s is number => s !== null);
      return m.sentAt <= i && ends.every((s) => s > i);
    })
    .map((m) => m.key)
    .sort();
}

describe('reading a trace', () => {
  it('follows every message of the paxos minority-quorums counterexample from send to delivery', () => {
    const r = counterexample(model('paxos'), 'minority-quorums');
    expect(r.replay.ok).toBe(true);
    expect(r.shape).toBe('actors');
    expect(r.lanes).toEqual(['client', 'a0', 'a1', 'a2', 'p0', 'p1']);
    expect(r.steps).toHaveLength(8);
    for (const step of r.steps) {
      const m = r.messages[step.message!];
      expect(m.key).toBe(step.description);
      expect(m.deliveredAt).toEqual([step.index]);
      expect(m.sentAt).toBeLessThan(step.index);
      expect(step.lane).toBe(m.to);
    }
    // Step 2 (p0 -> a0: prepare) was sent by step 1 (the client's request reaching p0).
    expect(r.messages[r.steps[1].message!]).toMatchObject({ from: 'p0', to: 'a0', label: 'prepare(10)', sentAt: 1 });
    expect(r.steps[0].sent.map((id) => r.messages[id].key)).toEqual(['p0 -> a0: prepare(10)', 'p0 -> a1: prepare(10)', 'p0 -> a2: prepare(10)']);
    for (let i = 0; i <= 8; i++) expect(openAt(r, i)).toEqual([...inFlightAt(r, i)].sort());
    expect(r.steps[7].changedPaths).toContain('nodes.a1.durable.accepted');
  });

  it('accounts for every copy under drops, duplicates, crashes, partitions, timers and closed connections, on every network', () => {
    const seen = new Set<string>();
    let lost = 0;
    const faults = { crashes: 1, partitions: 1, drops: 2, duplicates: 2 };
    for (const network of ['unordered', 'set', 'fifo', 'tcp'] as const) {
      for (const [m, seed] of [[model('paxos'), 1], [model('paxos'), 2], [pingModel, 3], [pingModel, 4]] as const) {
        const r = walk(m, { network, faults }, seed, 40);
        expect(r.replay.ok).toBe(true);
        for (let i = 0; i <= r.steps.length; i++) expect(openAt(r, i), `${m.name} ${network} seed ${seed} step ${i}`).toEqual([...inFlightAt(r, i)].sort());
        lost += r.messages.filter((x) => x.lostAt !== null).length;
        for (const s of r.steps) {
          seen.add(s.event.kind);
          if (s.event.kind === 'deliver') expect(r.messages[s.message!].deliveredAt).toContain(s.index);
          if (s.event.kind === 'drop') expect(r.messages[s.message!].droppedAt).toBe(s.index);
          if (s.event.kind === 'duplicate') expect(r.messages.filter((x) => x.duplicate && x.sentAt === s.index)).toHaveLength(1);
        }
      }
    }
    expect([...seen].sort()).toEqual(['crash', 'deliver', 'drop', 'duplicate', 'heal', 'partition', 'restart', 'timer']);
    expect(lost).toBeGreaterThan(0); // tcp: what was in flight on a connection a crash or partition closed
  });

  it('reads a spec trace as steps and states, without lanes or messages', () => {
    const r = counterexample(model('paxos-tla'), 'phase2a-ignores-votes');
    expect(r).toMatchObject({ shape: 'spec', lanes: [], messages: [] });
    expect(r.steps).toHaveLength(12);
    expect(r.steps[2].changedPaths).toContain('acceptors[0].maxBal');
  });
});

describe('text', () => {
  it('prints the initial state as an indented block per node, not one long line', () => {
    const text = renderText(counterexample(model('paxos'), 'minority-quorums'), 'title');
    const lines = text.split('\n');
    const start = lines.indexOf('  initial state:');
    const block = lines.slice(start + 1, lines.findIndex((l) => l.startsWith('    1. ')));
    for (const node of ['a0', 'a1', 'a2', 'p0', 'p1']) expect(block).toContain(`      ${node}:`);
    expect(block.every((l) => l.length <= 100)).toBe(true);
    expect(text).toContain('Violation of AtMostOneChosen after event 8');
  });
});

describe('mermaid', () => {
  it('draws each delivery as an arrow and highlights the violating step; mermaid parses it', async () => {
    const text = renderMermaid(counterexample(model('paxos'), 'minority-quorums'));
    expect(await mermaid.parse(text)).toMatchObject({ diagramType: 'sequence' });
    const lines = text.split('\n');
    expect(lines.filter((l) => l.includes('participant'))).toHaveLength(6);
    expect(lines.filter((l) => /^\s+P\d+->>P\d+: /.test(l))).toHaveLength(8);
    expect(text).toContain('  P0->>P4: 1. propose(v0)');
    const rect = lines.findIndex((l) => l.trim().startsWith('rect '));
    expect(lines[rect + 1]).toContain('8. accept(11, v1)');
    expect(lines[rect + 2]).toContain('VIOLATED: AtMostOneChosen');
    expect(lines[rect + 3].trim()).toBe('end');
  });

  it('is what the README shows for paxos minority-quorums', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('```mermaid\n') + '```mermaid\n'.length;
    expect(readme.slice(start, readme.indexOf('```', start))).toBe(renderMermaid(counterexample(model('paxos'), 'minority-quorums')));
  });

  it('notes crashes and restarts', async () => {
    const text = renderMermaid(counterexample(model('paxos'), 'promise-not-persisted'));
    expect(await mermaid.parse(text)).toBeTruthy();
    expect(text).toMatch(/Note over P\d+: \d+\. a\d CRASHES/);
    expect(text).toMatch(/Note over P\d+: \d+\. a\d restarts/);
  });

  it('draws a spec trace as notes that mermaid parses', async () => {
    const text = renderMermaid(counterexample(model('paxos-tla'), 'phase2a-ignores-votes'));
    expect(await mermaid.parse(text)).toBeTruthy();
    expect(text).toContain('Note over P0: 12. Phase2b(a=2, b=0, v=0)');
  });

  it('writes hostile strings as entities, and mermaid still parses the diagram', async () => {
    const text = renderMermaid(counterexample(hostileModel, 'default'));
    expect(await mermaid.parse(text)).toBeTruthy();
    const body = text.split('\n').slice(1).map((l) => l.replace(/^\s*(participant P\d+ as |P\d+->>P\d+: |Note over [P\d,]+: |rect rgb\([\d, ]+\)|end$)/, ''));
    for (const line of body) expect(line.replace(/#\d+;/g, '')).not.toMatch(/[;<>"#]/);
    expect(mermaidText('a;b#c')).toBe('a#59;b#35;c');
    expect(mermaidText('p0 -> a1: x')).toBe('p0 → a1: x');
  });
});

describe('html', () => {
  it('draws a lane per node and an arrow per delivery and per message still in flight', () => {
    const r = counterexample(model('paxos'), 'minority-quorums');
    const html = renderHtml(r);
    expect(html.match(/<g class="lane"/g)).toHaveLength(6);
    expect(html.match(/<line class="msg delivered"/g)).toHaveLength(8);
    const open = r.messages.filter((m) => m.deliveredAt.length === 0).length;
    expect(open).toBe(6);
    expect(html.match(/<line class="msg open"/g)).toHaveLength(open);
    expect(html.match(/<g class="step/g)).toHaveLength(9);
    expect(html).toContain('<g class="step violation" data-step="8"');
    expect(html).not.toMatch(/(src|href)\s*=|url\(\s*['"]?(https?:)?\/\/|@import/);
  });

  it('marks crashes and restarts on their lane and draws the node down in between', () => {
    const html = renderHtml(counterexample(model('paxos'), 'promise-not-persisted'));
    expect(html).toMatch(/<g class="mark fault crash">/);
    expect(html).toMatch(/<g class="mark fault restart">/);
    expect(html).toMatch(/<line class="down"/);
  });

  it('escapes every model and trace string', () => {
    const html = renderHtml(counterexample(hostileModel, 'default'));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b ');
    expect(html).not.toContain('<i>');
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the page's own two script elements
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain('&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;');
    const json = html.slice(html.indexOf('id="ordeal-data">') + 17, html.indexOf('</script>'));
    const data = JSON.parse(json);
    expect(data.states[1].nodes[HOSTILE_NODE_NAMES[1]].durable.got).toEqual([HOSTILE_MESSAGE]);
    expect(html).toContain(`✗ ${HOSTILE_PROPERTY.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}`);
  });
});
