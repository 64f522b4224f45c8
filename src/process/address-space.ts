import { readFileSync } from 'node:fs';
import { MachineFaultError } from '../errors.js';

/**
 * Node's HTTP client (undici, behind fetch) parses answers with llhttp compiled to WebAssembly, one instance per
 * process that every connection's parser shares (client-h1.js; 48 connections at once ran under a 22 GB limit, as one
 * did), and V8 reserves about 10 GiB of address space for each WebAssembly memory (guard regions that spare
 * bounds checks: reserved, not used). Under an address-space limit (`ulimit -v`, systemd's LimitAS) too low for
 * that, no request can be made: undici's rejection ended the run as an internal error with its stack (exit 1, a
 * limit under about 11 GB), and above it, to about 21.5 GB (20 and 21.5 failed, 22 passed: fcac07b and this alike),
 * where a first WebAssembly memory fits but the parser's instance does not, every row read
 * as a network error, held and retried until --max-error-rate stopped the run (exit 5, "the service is failing",
 * after 522 s at load 9, a 16 GB limit, measured 2026-12-05 on Node 20.20), though nothing had left the machine.
 * Node 20 has no switch that drops the reservation (`--wasm-enforce-bounds-checks` keeps it: measured).
 */

// The global WebAssembly object, which this project's TypeScript settings (no DOM library) do not declare.
const WASM = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number }) => unknown } }).WebAssembly;

const REFUSAL = /WebAssembly\.\w+\(\): (?:Out of memory: Cannot allocate Wasm memory|could not allocate memory)/;

/** V8's message when `error`, or an error it was caused by (fetch's "fetch failed"), refuses a WebAssembly memory's address space. */
export function wasmMemoryRefusal(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof RangeError && REFUSAL.test(current.message)) return current.message;
    current = current.cause;
  }
  return undefined;
}

/** The words for such a refusal (`detail`: V8's message), with the limit when Linux says it and what to do. */
export function addressSpaceWords(detail: string): string {
  const limit = addressSpaceLimit();
  return (
    `Node's HTTP client cannot start: this process may not reserve the address space WebAssembly needs (${detail}` +
    `${limit === undefined ? '' : `; its address-space limit is ${limit}`}): the client's parser reserves about 10 GiB of ` +
    'address space, once for all its connections (reserved, not used): raise the limit (ulimit -v unlimited, or LimitAS= in a systemd unit), ' +
    'then run the same command again'
  );
}

/**
 * Refuses to start a run that sends requests when not even one WebAssembly memory can be reserved: said before any
 * request, any file written, in one line (exit 74), where undici's own rejection was an internal error.
 */
export function assertWasmMemory(): void {
  try {
    new WASM.Memory({ initial: 1 });
  } catch (error) {
    const refusal = wasmMemoryRefusal(error);
    if (refusal === undefined) throw error;
    throw new MachineFaultError('ENOMEM', addressSpaceWords(refusal), { cause: error });
  }
}

/** `ulimit -v`'s value as Linux gives it (/proc/self/limits, "Max address space"), or undefined: unlimited, or not Linux. */
function addressSpaceLimit(): string | undefined {
  try {
    const line = /^Max address space\s+(\d+)\s/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!line?.[1]) return undefined;
    return `${Math.round(Number(line[1]) / 2 ** 20).toLocaleString('en-US')} MiB (ulimit -v ${Math.floor(Number(line[1]) / 1024)})`;
  } catch {
    return undefined;
  }
}
