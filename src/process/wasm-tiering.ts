import { setFlagsFromString } from 'node:v8';

/**
 * undici parses HTTP responses with llhttp compiled to WebAssembly. V8 starts
 * it in its baseline compiler and, once a function has run a while (V8's
 * default budget is spent by the first response), optimises it in the
 * background; llhttp's parser is one very large function, and a process may not
 * end before that compilation has: a one-request run spent ~250 ms more CPU and
 * ended ~230 ms after its summary (measured on Node 20). Answers come at a few
 * per second (the service's limit is 300 a minute), so the baseline parser is
 * fast enough: a 3,000-request run took the same CPU either way (measured).
 * A larger budget still lets a very long run optimise the parser.
 *
 * Set only by the command line, before any request: a program that embeds the
 * job keeps its own V8 settings.
 */
const WASM_TIERING_BUDGET = 2_000_000_000;

setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
