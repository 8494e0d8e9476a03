// The checkpoint format of the level engine: a BFS stopped at a level boundary, as bytes. Pure (no
// files): src/workers/checkpoint-file.ts writes the chunks atomically and reads them back.
//   bytes 0-7  magic "ORDCKPT1"; bytes 8-11 header length (uint32, little-endian)
//   header     JSON (CheckpointHeader), padded with spaces to a multiple of 4 bytes
//   sections   parents (uint32 per state), events (uint16 per state, padded), fingerprints
//              (2 x uint32 per state), frontier ordinals (uint32), frontier words (packed systems)
// The header names the run (model, version, variant, params, config, ordeal version) so a
// checkpoint is only ever resumed by the same run.
import type { Params } from '../model/define.ts';
import type { LevelCheckpoint } from './parallel-bfs.ts';

export const CHECKPOINT_FORMAT = 'ordeal-checkpoint';
export const CHECKPOINT_VERSION = 1;
const MAGIC = 'ORDCKPT1';

/** What a checkpoint belongs to; every field must match for a resume. */
export interface CheckpointIdentity {
  readonly ordeal: string;
  readonly model: { readonly name: string; readonly version: number; readonly variant: string; readonly params: Params };
  readonly config: unknown;
  readonly strategy: 'bfs';
  /** Words per packed state, or null for object systems. */
  readonly packedWords: number | null;
}

export interface CheckpointHeader extends CheckpointIdentity {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  readonly depth: number;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly elapsedMs: number;
  readonly reached: (number | null)[];
  readonly frontierStates: number;
  /** Byte length of each section, in file order. */
  readonly sections: { readonly parents: number; readonly events: number; readonly fingerprints: number; readonly ordinals: number; readonly words: number };
}

export class CheckpointError extends Error {}

const pad4 = (n: number): number => (n + 3) & ~3;
const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The checkpoint as chunks to write one after the other. */
export function encodeCheckpoint(identity: CheckpointIdentity, c: LevelCheckpoint): Uint8Array[] {
  const distinct = c.links.parents.length;
  const header: CheckpointHeader = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    ...identity,
    depth: c.depth,
    distinctStates: distinct,
    transitions: c.transitions,
    elapsedMs: c.elapsedMs,
    reached: c.reached,
    frontierStates: c.frontier.ordinals.length,
    sections: {
      parents: c.links.parents.byteLength,
      events: pad4(c.links.events.byteLength),
      fingerprints: c.fingerprints.byteLength,
      ordinals: c.frontier.ordinals.byteLength,
      words: c.frontier.words ? c.frontier.words.byteLength : 0,
    },
  };
  const encoded = new TextEncoder().encode(JSON.stringify(header));
  const json = new Uint8Array(pad4(encoded.length)).fill(0x20);
  json.set(encoded);
  const head = new Uint8Array(12);
  head.set(new TextEncoder().encode(MAGIC));
  new DataView(head.buffer).setUint32(8, json.length, true);
  const events = new Uint8Array(pad4(c.links.events.byteLength));
  events.set(bytesOf(c.links.events));
  const chunks = [head, json, bytesOf(c.links.parents), events, bytesOf(c.fingerprints), bytesOf(c.frontier.ordinals)];
  if (c.frontier.words) chunks.push(bytesOf(c.frontier.words));
  return chunks;
}

/** Read a checkpoint; throws CheckpointError when the bytes are not a whole checkpoint. */
export function decodeCheckpoint(bytes: Uint8Array): { header: CheckpointHeader; checkpoint: LevelCheckpoint } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new CheckpointError('not an ordeal checkpoint (bad magic)');
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 12).getUint32(8, true);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as CheckpointHeader;
  } catch {
    throw new CheckpointError('checkpoint header is not valid JSON');
  }
  if (header.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`not an ordeal checkpoint (format '${String(header.format)}')`);
  if (header.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(`checkpoint format version ${header.version} is not supported (this ordeal reads version ${CHECKPOINT_VERSION})`);
  }
  const s = header.sections;
  const expected = 12 + headerLength + s.parents + s.events + s.fingerprints + s.ordinals + s.words;
  if (bytes.length !== expected) throw new CheckpointError(`checkpoint is truncated or padded: ${bytes.length} bytes, expected ${expected}`);
  let at = 12 + headerLength;
  const take = (length: number): ArrayBuffer => {
    // A copy (Node's Buffer.slice would share memory and could be misaligned).
    const copy = new Uint8Array(length);
    copy.set(bytes.subarray(at, at + length));
    at += length;
    return copy.buffer;
  };
  const parents = new Uint32Array(take(s.parents));
  const events = new Uint16Array(take(s.events)).slice(0, header.distinctStates);
  const fingerprints = new Uint32Array(take(s.fingerprints));
  const ordinals = new Uint32Array(take(s.ordinals));
  const words = s.words > 0 ? new Uint32Array(take(s.words)) : null;
  if (parents.length !== header.distinctStates || fingerprints.length !== 2 * header.distinctStates || ordinals.length !== header.frontierStates) {
    throw new CheckpointError('checkpoint sections disagree with its header');
  }
  return {
    header,
    checkpoint: {
      depth: header.depth,
      transitions: header.transitions,
      elapsedMs: header.elapsedMs,
      reached: header.reached,
      links: { parents, events },
      fingerprints,
      frontier: { ordinals, words },
    },
  };
}

/** Refuse a checkpoint of another run: names the first field that differs. */
export function checkIdentity(header: CheckpointHeader, run: CheckpointIdentity): void {
  const fields: [string, unknown, unknown][] = [
    ['model', header.model.name, run.model.name],
    ['model version', header.model.version, run.model.version],
    ['variant', header.model.variant, run.model.variant],
    ['params', canonicalJson(header.model.params), canonicalJson(run.model.params)],
    ['config', canonicalJson(header.config), canonicalJson(run.config)],
    ['ordeal version', header.ordeal, run.ordeal],
    ['state layout (words per state)', header.packedWords, run.packedWords],
  ];
  for (const [name, saved, now] of fields) {
    if (saved !== now) throw new CheckpointError(`checkpoint is from another run: ${name} is ${String(saved)} there, ${String(now)} here`);
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
