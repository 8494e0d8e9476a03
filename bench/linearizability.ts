// `npm run bench` (part): linearizability checking time on generated histories of 100, 1,000 and
// 10,000 operations over 10 clients (register and kv; linearizable, and made non-linearizable by
// one injected stale read), 50-client kv histories (Porcupine's c50 shape, one with server stalls
// that make some keys very hard), plus Knossos' cas-register fixtures. Each row is the median of a
// few runs in this process; where Go and the Porcupine module are at hand, the same histories are
// checked by Porcupine in a Go program built here, and its times stand beside ours.
// Writes reports/bench-linearizability.md and prints it.
//   options: --runs N (default 3)   --sizes 100,1000,10000   --time-limit S (default 120, per check)
//   Porcupine: needs `go` (Debian: apt-get install golang-go) and the module
//   github.com/anishathalye/porcupine offline: in Go's module cache, or a local copy of it named by
//   the environment variable PORCUPINE_DIR. Without either, the Porcupine columns say why they are empty.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkLinearizability, generateHistory, historyFromJepsen, injectStaleRead, SPECS, type GenerateOptions, type History, type SpecName, type Value } from '../src/linearizability/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const reportPath = join(root, 'reports', 'bench-linearizability.md');
const knossosDir = join(root, 'test', 'fixtures', 'linearizability', 'knossos');

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '100,1000,10000' },
    'time-limit': { type: 'string', default: '120' },
  },
});
const runs = Number(options.runs);
const sizes = options.sizes.split(',').map(Number);
const timeLimitMs = Number(options['time-limit']) * 1000;
const CLIENTS = 10;
/** kv histories spread over this many keys. */
const KV_KEYS = 10;
/** Share of operations that never return (Jepsen :info), as in real test runs with faults. */
const PENDING_PROBABILITY = 0.01;
const SEED = 2026;
/** Porcupine's c50 shape: 50 clients, 10 keys, 2,000 operations (the generator's kv mix). */
const C50: GenerateOptions = { spec: 'kv', clients: 50, operations: 2000, seed: 1, keys: 10 };
/** The history of test/linearizability/pace.test.ts: appends mostly, and server stalls. */
const C50_STALLED: GenerateOptions = { ...C50, mix: [['get', 0.3], ['put', 0.05], ['append', 0.65]], stalls: { everyTicks: 400, ticks: 150 } };

interface Case {
  readonly spec: SpecName;
  readonly kind: string;
  readonly history: History;
  readonly initial?: Value;
}

interface Row extends Case {
  result: string;
  searched: number;
  steps: number;
  failureAt: string;
  medianMs: number;
  runsMs: number[];
  porcupine?: { result: string; medianMs: number; runsMs: number[] };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(c: Case): Row {
  const runsMs: number[] = [];
  const check = () => checkLinearizability(c.history, { initial: c.initial, timeLimitMs, now: () => performance.now() });
  let last = check(); // warm-up, not timed
  // A check that ran into the time limit is not repeated: its one time is the limit.
  if (last.result === 'unknown') runsMs.push(timeLimitMs);
  for (let i = 0; i < runs && last.result !== 'unknown'; i++) {
    const started = performance.now();
    last = check();
    runsMs.push(performance.now() - started);
  }
  return {
    ...c,
    result: last.result,
    searched: last.searched,
    steps: last.steps,
    failureAt: last.explanation ? `after ${last.explanation.prefix.length} linearised (op #${last.explanation.mustPlace.index})` : '',
    medianMs: median(runsMs),
    runsMs,
  };
}

/** Measures every history (and with Porcupine where it can), writes the report and prints it. */
function main(): void {
  const cases: Case[] = [];
  for (const spec of ['register', 'kv'] as const) {
    for (const operations of sizes) {
      const generated = generateHistory({ spec, clients: CLIENTS, operations, seed: SEED, keys: KV_KEYS, pendingProbability: PENDING_PROBABILITY });
      cases.push({ spec, kind: 'linearizable', history: generated.history });
      const stale = injectStaleRead(generated, SEED);
      if (stale) cases.push({ spec, kind: 'one stale read', history: stale.history });
    }
  }
  const c50 = generateHistory(C50);
  cases.push({ spec: 'kv', kind: '50 clients, linearizable', history: c50.history });
  cases.push({ spec: 'kv', kind: '50 clients, one stale read', history: injectStaleRead(c50, C50.seed)!.history });
  const stalled = generateHistory(C50_STALLED);
  cases.push({ spec: 'kv', kind: '50 clients, server stalls, one stale read', history: injectStaleRead(stalled, C50.seed)!.history });
  for (const answer of ['good', 'bad'] as const) {
    for (const file of readdirSync(join(knossosDir, answer)).filter((f) => f.endsWith('.edn')).sort()) {
      const history = historyFromJepsen(readFileSync(join(knossosDir, answer, file), 'utf8'), 'cas-register');
      cases.push({ spec: 'cas-register', kind: `Knossos ${answer}/${file}`, history, initial: 0 });
    }
  }

  const rows = cases.map((c) => {
    const row = measure(c);
    process.stderr.write(`${c.spec} ${c.history.operations.length} ${c.kind}: ${row.result} ${row.medianMs.toFixed(1)} ms\n`);
    return row;
  });
  const porcupineNote = runPorcupine(rows);

  const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
  const total = (subset: readonly Row[], pick: (r: Row) => number | undefined): string => {
    const xs = subset.map(pick);
    return xs.every((x) => x !== undefined) ? ms(xs.reduce((a, b) => a! + b!, 0)!) : '';
  };
  const bothDecided = rows.filter((r) => r.result !== 'unknown' && r.porcupine !== undefined && r.porcupine.result !== 'unknown');
  const lines = [
    '# Linearizability checking time',
    '',
    `Generated by \`node --import tsx bench/linearizability.ts\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}: ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
      `load average ${loadavg()[0].toFixed(1)} at the end (other work shared the cores, so single runs vary).`,
    '',
    `Generated histories: ${CLIENTS} clients, seed ${SEED}, ${PENDING_PROBABILITY * 100}% of operations pending (never return, as Jepsen :info), ` +
      `kv over ${KV_KEYS} keys; "one stale read" changes one completed read to return a value overwritten before it was called ` +
      '(so the history is certainly not linearizable). The 50-client rows have the shape of Porcupine\'s c50 kv histories ' +
      `(50 clients, 10 keys, ${C50.operations} operations, seed ${C50.seed}, none pending); "server stalls" is mostly appends (65%, gets 30%, puts 5%), and the server stops ` +
      'applying operations for 150 of every 400 ticks, then applies what piled up in a shuffled order, which makes some keys very hard to search ' +
      '(the history of test/linearizability/pace.test.ts). Time is the median of ' +
      `${runs} runs after one warm-up, in one process; "steps" counts spec applications (the search's work); a check stops as unknown after ${timeLimitMs / 1000} s.`,
    '',
    porcupineNote,
    '',
    '| spec | operations | history | result | searched | steps | failure found | median ms | runs ms | Porcupine result | Porcupine median ms | Porcupine runs ms |',
    '| --- | ---: | --- | --- | ---: | ---: | --- | ---: | --- | --- | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.spec} | ${r.history.operations.length.toLocaleString('en-US')} | ${r.kind} | ${r.result} | ${r.searched.toLocaleString('en-US')} | ${r.steps.toLocaleString('en-US')} | ${r.failureAt} | ${ms(r.medianMs)} | ${r.runsMs.map(ms).join(', ')} | ` +
        `${r.porcupine?.result ?? ''} | ${r.porcupine ? ms(r.porcupine.medianMs) : ''} | ${r.porcupine?.runsMs.map(ms).join(', ') ?? ''} |`,
    ),
    `| **total** | | all ${rows.length} histories | | | | | **${total(rows, (r) => r.medianMs)}** | | | **${total(rows, (r) => r.porcupine?.medianMs)}** | |`,
    ...(bothDecided.length > 0 && bothDecided.length < rows.length
      ? [`| **total** | | the ${bothDecided.length} both decided | | | | | **${total(bothDecided, (r) => r.medianMs)}** | | | **${total(bothDecided, (r) => r.porcupine?.medianMs)}** | |`]
      : []),
    '',
    'The Knossos rows check the same files Knossos checks in its own test suite, and every verdict agrees with its answers.',
    '',
  ];
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

// --- Porcupine, built here -------------------------------------------------------------------

/**
 * Checks every row's history with Porcupine (a Go program written and built in a temporary
 * folder), fills in `porcupine` on each row, and returns the report's sentence about it.
 */
function runPorcupine(rows: Row[]): string {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return 'Porcupine: skipped, `go` is not installed (on Debian: `apt-get install golang-go`).';
  const goVersion = go.stdout.trim().split(' ')[2] ?? 'go';
  const dir = mkdtempSync(join(tmpdir(), 'ordeal-porcupine-'));
  try {
    const local = process.env.PORCUPINE_DIR;
    const modFile = ['module ordealbench', '', 'go 1.16', '', `require ${PORCUPINE_MODULE} ${PORCUPINE_VERSION}`];
    if (local) modFile.push(`replace ${PORCUPINE_MODULE} => ${resolve(local)}`);
    writeFileSync(join(dir, 'go.mod'), `${modFile.join('\n')}\n`);
    writeFileSync(join(dir, 'main.go'), DRIVER_GO);
    // Offline: the module must come from PORCUPINE_DIR or Go's module cache, never from a proxy.
    const env = { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod', GOSUMDB: 'off' };
    const build = spawnSync('go', ['build', '-o', 'driver', '.'], { cwd: dir, env, encoding: 'utf8' });
    if (build.status !== 0) {
      const why = (build.stderr || String(build.error)).trim().split('\n')[0];
      return (
        `Porcupine: skipped, ${goVersion} is installed but the module ${PORCUPINE_MODULE} could not be built offline (${why}). ` +
        'Debian packages no Porcupine; name a local copy of the module with PORCUPINE_DIR to include it.'
      );
    }
    // Pending reads are left out, as ordeal leaves them out (they cannot change anything) and as Porcupine's users do.
    const operations = (r: Row) => r.history.operations.filter((op) => !(op.return === null && SPECS[r.spec].readOnly(op)));
    const input = rows.map((r) => ({ spec: r.spec, initial: r.initial ?? SPECS[r.spec].initialState(undefined), operations: operations(r) }));
    writeFileSync(join(dir, 'histories.json'), JSON.stringify(input));
    const run = spawnSync(join(dir, 'driver'), [join(dir, 'histories.json'), String(runs), String(timeLimitMs)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) return `Porcupine: the Go program failed: ${(run.stderr || String(run.error)).trim().split('\n')[0]}`;
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { result: string; runsMs: number[] });
    results.forEach((p, i) => (rows[i].porcupine = { result: PORCUPINE_VERDICTS[p.result] ?? p.result, medianMs: median(p.runsMs), runsMs: p.runsMs }));
    const source = local ? 'a local copy named by PORCUPINE_DIR' : "Go's module cache";
    return (
      `Porcupine (${PORCUPINE_MODULE}, from ${source}, built with ${goVersion}) checked the same histories in one Go process: ` +
      `CheckOperationsTimeout with a model per spec partitioned by key, timed the same way (median of ${runs} runs after one warm-up). ` +
      'Porcupine checks the keys of a history in parallel goroutines (here on all cores) and stops at the first that fails; ordeal uses one thread, ' +
      'its keys taking turns. A pending write is given to Porcupine as its README advises, returning after every other event with any output (the same linearisations); ' +
      'pending reads are left out on both sides. A check that hits the time limit is run once, not repeated.'
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PORCUPINE_MODULE = 'github.com/anishathalye/porcupine';
/** Any v1 release: the program uses only Model{Partition, Init, Step, Equal} and CheckOperationsTimeout. */
const PORCUPINE_VERSION = 'v1.3.1';
const PORCUPINE_VERDICTS: Readonly<Record<string, string>> = { Ok: 'linearizable', Illegal: 'not-linearizable', Unknown: 'unknown' };

/** The Go program: reads the histories (ordeal's operations as JSON), checks each, prints one JSON line per history. */
const DRIVER_GO = `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/anishathalye/porcupine"
)

type op struct {
	Key    *string     \`json:"key"\`
	Client int         \`json:"client"\`
	Call   int64       \`json:"call"\`
	Return *int64      \`json:"return"\`
	Op     string      \`json:"op"\`
	Input  interface{} \`json:"input"\`
	Output interface{} \`json:"output"\`
}

type history struct {
	Spec       string      \`json:"spec"\`
	Initial    interface{} \`json:"initial"\`
	Operations []op        \`json:"operations"\`
}

// input is what Step sees: the operation, and whether its output is unknown (pending).
type input struct {
	op      *op
	pending bool
}

func step(state, in, out interface{}) (bool, interface{}) {
	i := in.(input)
	o := i.op
	switch o.Op {
	case "read", "get":
		return i.pending || out == state, state
	case "write", "put":
		return true, o.Input
	case "append":
		return true, state.(string) + o.Input.(string)
	case "cas":
		cas := o.Input.(map[string]interface{})
		matches := cas["from"] == state
		next := state
		if matches {
			next = cas["to"]
		}
		return i.pending || out == matches, next
	}
	panic("unknown operation " + o.Op)
}

func model(initial interface{}) porcupine.Model {
	return porcupine.Model{
		Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
			byKey := map[string][]porcupine.Operation{}
			var keys []string
			for _, o := range h {
				k := ""
				if key := o.Input.(input).op.Key; key != nil {
					k = *key
				}
				if _, ok := byKey[k]; !ok {
					keys = append(keys, k)
				}
				byKey[k] = append(byKey[k], o)
			}
			sort.Strings(keys)
			var parts [][]porcupine.Operation
			for _, k := range keys {
				parts = append(parts, byKey[k])
			}
			return parts
		},
		Init:  func() interface{} { return initial },
		Step:  step,
		Equal: func(a, b interface{}) bool { return a == b },
	}
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	runs, _ := strconv.Atoi(os.Args[2])
	limitMs, _ := strconv.Atoi(os.Args[3])
	var histories []history
	if err := json.Unmarshal(data, &histories); err != nil {
		panic(err)
	}
	names := map[porcupine.CheckResult]string{porcupine.Ok: "Ok", porcupine.Illegal: "Illegal", porcupine.Unknown: "Unknown"}
	for _, h := range histories {
		var last int64
		for _, o := range h.Operations {
			if o.Return != nil && *o.Return > last {
				last = *o.Return
			}
			if o.Call > last {
				last = o.Call
			}
		}
		ops := make([]porcupine.Operation, len(h.Operations))
		for n := range h.Operations {
			o := &h.Operations[n]
			ret, pending := last+1, o.Return == nil
			if !pending {
				ret = *o.Return
			}
			ops[n] = porcupine.Operation{ClientId: o.Client, Input: input{o, pending}, Call: o.Call, Output: o.Output, Return: ret}
		}
		m := model(h.Initial)
		timeout := time.Duration(limitMs) * time.Millisecond
		started := time.Now()
		result := porcupine.CheckOperationsTimeout(m, ops, timeout) // warm-up, not timed
		times := []float64{}
		if result == porcupine.Unknown { // timed out: not repeated, its one time is the limit
			times = append(times, float64(time.Since(started).Microseconds())/1000)
		}
		for r := 0; r < runs && result != porcupine.Unknown; r++ {
			started := time.Now()
			result = porcupine.CheckOperationsTimeout(m, ops, timeout)
			times = append(times, float64(time.Since(started).Microseconds())/1000)
		}
		line, _ := json.Marshal(map[string]interface{}{"result": names[result], "runsMs": times})
		fmt.Println(string(line))
	}
}
`;

main();
