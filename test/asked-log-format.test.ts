import { describe, expect, it } from 'vitest';
import { askedJsonLogs } from '../src/config/asked-log-format.js';
import { tempDir } from './support/cli.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

describe('whether JSON logs were asked for, for the line a usage or input error ends with', () => {
  it('the resolved settings first: only "json" by name (auto, the default, stays plain)', () => {
    expect(askedJsonLogs(['--log-format', 'pretty'], { settings: { logFormat: 'json' } })).toBe(true);
    expect(askedJsonLogs([], { settings: { logFormat: 'auto' } })).toBe(false);
    expect(askedJsonLogs([], { settings: { logFormat: 'pretty' } })).toBe(false);
  });

  it('else the raw arguments, the last value winning as in the parser, none after --; a value not json is plain', () => {
    expect(askedJsonLogs(['in.csv', '--log-format', 'json', '--rmp', '5'], {})).toBe(true);
    expect(askedJsonLogs(['--log-format=json'], {})).toBe(true);
    expect(askedJsonLogs(['--log-format', 'json', '--log-format=pretty'], {})).toBe(false);
    expect(askedJsonLogs(['--log-format', 'jsn'], {})).toBe(false);
    expect(askedJsonLogs(['--log-format'], {})).toBe(false);
    expect(askedJsonLogs(['--', '--log-format', 'json'], {})).toBe(false);
  });

  it("else the job file's raw JSON, which a flag overrides; a file that is not JSON, or not named .json, is plain", () => {
    const { dir, cleanup } = tempDir();
    try {
      const job = path.join(dir, 'job.json');
      writeFileSync(job, `\uFEFF${JSON.stringify({ logFormat: 'json', rmp: 5 })}`);
      expect(askedJsonLogs(['run', job], { jobFile: job })).toBe(true);
      expect(askedJsonLogs([job, '--log-format', 'pretty'], { jobFile: job })).toBe(false);
      const broken = path.join(dir, 'broken.json');
      writeFileSync(broken, '{"logFormat": "json",}');
      expect(askedJsonLogs([broken], { jobFile: broken })).toBe(false);
      const export_ = path.join(dir, 'reviews.csv');
      writeFileSync(export_, '{"logFormat": "json"}');
      expect(askedJsonLogs([export_], { jobFile: export_ })).toBe(false);
      expect(askedJsonLogs([], { jobFile: path.join(dir, 'missing.json') })).toBe(false);
    } finally {
      cleanup();
    }
  });
});
