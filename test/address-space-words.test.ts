// The words of an address-space refusal (src/process/address-space.ts). undici makes one llhttp WebAssembly instance
// per process, shared by every connection's parser (client-h1.js): a run of 48 connections at once passed under a
// 22 GB limit, as one of a single connection did, so "about 10 GiB ... per connection" sent the operator to lower
// --concurrency, which changes nothing.
import { describe, expect, it } from 'vitest';
import { addressSpaceWords } from '../src/process/address-space.js';

describe('the words of an address-space refusal', () => {
  it('say the parser reserves its address space once, not per connection', () => {
    const words = addressSpaceWords('WebAssembly.Memory(): could not allocate memory');
    expect(words).toContain('reserves about 10 GiB of address space, once for all its connections');
    expect(words).not.toContain('per connection');
  });
});
