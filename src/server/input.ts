/**
 * Reading and validating the request body of the text-classification model:
 * `{"text": "<non-empty string>"}`, as the model's input schema says.
 */
import type { IncomingMessage } from 'node:http';

export type BodyRead =
  | { kind: 'ok'; body: Buffer }
  | { kind: 'too-large'; bytes: number }
  /** The client went away before sending the whole body. */
  | { kind: 'aborted' };

/**
 * Reads the whole body. Past `limit` bytes it keeps reading but discards, so
 * the 413 answer reaches a client that is still uploading instead of a reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(bytes > limit ? { kind: 'too-large', bytes } : { kind: 'ok', body: Buffer.concat(chunks, bytes) }));
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'aborted' });
    });
  });
}

export type TextInput = { ok: true; text: string } | { ok: false; message: string };

/** Parses and checks the body; failure messages read like the service's `AiError: Bad input: …`. */
export function parseTextInput(body: Buffer): TextInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, message: 'AiError: Bad input: the request body is not valid JSON; send {"text": "..."}' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed;
    return { ok: false, message: `AiError: Bad input: Type mismatch of '/', '${kind}' not in 'object'` };
  }
  if (!('text' in parsed)) {
    return { ok: false, message: "AiError: Bad input: must have required property 'text'" };
  }
  const text = (parsed as { text: unknown }).text;
  if (typeof text !== 'string') {
    const kind = Array.isArray(text) ? 'array' : text === null ? 'null' : typeof text;
    return { ok: false, message: `AiError: Bad input: Type mismatch of '/text', '${kind}' not in 'string'` };
  }
  if (text.length === 0) {
    return { ok: false, message: "AiError: Bad input: must NOT have fewer than 1 characters at '/text'" };
  }
  return { ok: true, text };
}
