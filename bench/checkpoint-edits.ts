/**
 * Hand edits to a paused job's `<output>.checkpoint.json` and `<output>.journal`, drawn from a seed, for
 * checkpoint-edit-fuzz.ts: what an operator, a sync tool or a torn copy might do to them between a killed run and its
 * resume. Each returns a line saying what it did. An edit that swaps an answer's label is marked "(semantic)": the
 * journal carries no check of its own answers, so that one may show in the output and is reported, not failed.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { SeededPicks } from './seeded-picks.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = string[];

function paths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => [[...prefix, key], ...paths((value as Record<string, Json>)[key] as Json, [...prefix, key])]);
}
function getAt(value: Json, at: Path): Json | undefined {
  let here: Json | undefined = value;
  for (const key of at) here = here !== null && typeof here === 'object' ? (here as Record<string, Json>)[key] : undefined;
  return here;
}
function parentOf(value: Json, at: Path): Record<string, Json> {
  return getAt(value, at.slice(0, -1)) as Record<string, Json>;
}
function setAt(value: Json, at: Path, to: Json): void {
  parentOf(value, at)[at[at.length - 1] as string] = to;
}
function deleteAt(value: Json, at: Path): void {
  const parent = parentOf(value, at);
  const key = at[at.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
}
const show = (value: unknown): string => (JSON.stringify(value) ?? 'undefined').slice(0, 40);

export function editCheckpoint(file: string, rng: SeededPicks): string {
  const text = readFileSync(file, 'utf8');
  const kind = rng.pick(['delete', 'truncate', 'empty', 'garbage', 'flip', 'drop-key', 'retype', 'number', 'number', 'number', 'string', 'boolean'] as const);
  if (kind === 'delete') {
    rmSync(file);
    return 'checkpoint removed';
  }
  if (kind === 'truncate') {
    const n = rng.int(0, text.length - 1);
    writeFileSync(file, text.slice(0, n));
    return `checkpoint cut to ${n} of ${text.length} chars`;
  }
  if (kind === 'empty') {
    writeFileSync(file, '');
    return 'checkpoint emptied';
  }
  if (kind === 'garbage') {
    writeFileSync(file, text + rng.pick(['\n{}', 'x', '\u0000', ' ', '\n']));
    return 'checkpoint: garbage appended';
  }
  if (kind === 'flip') {
    const bytes = Buffer.from(text);
    const i = rng.int(0, bytes.length - 1);
    const old = bytes[i];
    bytes[i] = rng.pick([0x30 + rng.int(0, 9), 0x7d, 0x22, 0xff, 0x20]);
    writeFileSync(file, bytes);
    return `checkpoint byte ${i} ${old} -> ${bytes[i]}`;
  }
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    return 'checkpoint not JSON (an earlier edit): left';
  }
  const all = paths(json);
  const of = (type: string) => all.filter((at) => typeof getAt(json, at) === type);
  let what: string;
  if (kind === 'drop-key' || kind === 'retype') {
    const at = rng.pick(all);
    const old = getAt(json, at);
    if (kind === 'drop-key') deleteAt(json, at);
    else setAt(json, at, rng.pick<Json>([null, '1', 1, [], {}, true, -1, 1.5]));
    what = `checkpoint ${at.join('.')} ${show(old)} -> ${kind === 'drop-key' ? '(dropped)' : show(getAt(json, at))}`;
  } else {
    const candidates = of(kind);
    if (candidates.length === 0) return `checkpoint has no ${kind}: left`;
    const at = rng.pick(candidates);
    const old = getAt(json, at);
    if (typeof old === 'number') setAt(json, at, rng.pick([old + 1, old - 1, 0, old * 2, old + 1000, Math.floor(old / 2), 1e21]));
    else if (typeof old === 'string') setAt(json, at, rng.pick(['', `${old}x`, old.slice(1), old.toUpperCase(), `0${old.slice(1)}`]));
    else setAt(json, at, !old);
    what = `checkpoint ${at.join('.')} ${show(old)} -> ${show(getAt(json, at))}`;
  }
  writeFileSync(file, JSON.stringify(json));
  return what;
}

export function editJournal(file: string, rng: SeededPicks): string {
  if (!existsSync(file)) return 'no journal';
  const text = readFileSync(file, 'utf8');
  const kind = rng.pick(['delete', 'truncate', 'empty', 'double', 'drop', 'swap', 'garbage', 'header', 'flip', 'label', 'index'] as const);
  if (kind === 'delete') {
    rmSync(file);
    return 'journal removed';
  }
  if (kind === 'truncate') {
    const n = rng.int(0, text.length - 1);
    writeFileSync(file, text.slice(0, n));
    return `journal cut to ${n} of ${text.length} chars`;
  }
  if (kind === 'empty') {
    writeFileSync(file, '');
    return 'journal emptied';
  }
  if (kind === 'flip') {
    const bytes = Buffer.from(text);
    const i = rng.int(0, bytes.length - 1);
    const old = bytes[i];
    bytes[i] = rng.pick([0x7d, 0x22, 0xff, 0x0a, 0x00]);
    writeFileSync(file, bytes);
    return `journal byte ${i} ${old} -> ${bytes[i]}`;
  }
  const lines = text.split('\n');
  const answers = lines.length - 2; // the header first, '' after the last line break
  if (answers < 2) return 'journal holds under 2 answers: left';
  const k = rng.int(1, answers);
  const line = lines[k] as string;
  let what: string;
  if (kind === 'double') {
    lines.splice(k, 0, line);
    what = `journal line ${k} doubled`;
  } else if (kind === 'drop') {
    lines.splice(k, 1);
    what = `journal line ${k} dropped`;
  } else if (kind === 'swap') {
    const m = rng.int(1, answers);
    [lines[k], lines[m]] = [lines[m] as string, line];
    what = `journal lines ${k} and ${m} swapped`;
  } else if (kind === 'garbage') {
    lines.splice(k, 0, rng.pick(['{', 'null', '[]', '{"i":0}', '{"i":-1,"t":"x","s":["POSITIVE",1,0]}', '\u0000\u0000', '{"i":1e400,"t":"great","s":["POSITIVE",0.9,0.1]}']));
    what = `journal garbage line before line ${k}`;
  } else if (kind === 'header') {
    const header = JSON.parse(lines[0] as string) as Record<string, Json>;
    const key = rng.pick(Object.keys(header));
    const to = rng.pick<Json | undefined>([null, 2, 'x', undefined]);
    if (to === undefined) delete header[key];
    else header[key] = to;
    lines[0] = JSON.stringify(header);
    what = `journal header ${key} -> ${show(to)}`;
  } else {
    let entry: { i: Json; s?: [string, number, number] };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return `journal line ${k} not JSON: left`;
    }
    if (kind === 'label') {
      if (entry.s === undefined) return `journal line ${k} holds a failure: left`;
      entry.s[0] = entry.s[0] === 'POSITIVE' ? 'NEGATIVE' : 'POSITIVE';
      what = `journal line ${k} label swapped (semantic)`;
    } else {
      const old = entry.i;
      entry.i = rng.pick<Json>([Number(old) + 1, 0, Number(old) + 100000, -1, 1.5, '3']);
      what = `journal line ${k} index ${show(old)} -> ${show(entry.i)}`;
    }
    lines[k] = JSON.stringify(entry);
  }
  writeFileSync(file, lines.join('\n'));
  return what;
}
