/**
 * Reading one attempt's answer (workers-ai.ts): its body up to a bound, and the scores in it, or the ScoringError that
 * says why there are none (too large, compressed in a way this client cannot undo, not the model's answer).
 */
import type { BodyText } from './answer-body.js';
import { answerAsSent, malformedAnswer, oversizedAnswer, parseAnswer } from './answer.js';
import type { Scores } from './scorer.js';

// An answer is ~100 bytes; anything far larger is not an answer. Error bodies are only read for their code.
export const MAX_ANSWER_BYTES = 1 << 20;
export const MAX_ERROR_BODY_BYTES = 64 << 10;

/**
 * The body's bytes up to `limit`: `complete` false when it ran past it (the rest is not read: the body is destroyed).
 * `read.bytes` counts the bytes as they come, for the failure of a body that breaks off. A body that breaks off is
 * read as far as it came when `keepWhatCame()` says so at that moment (a failure status is classified by its status),
 * else its error is thrown.
 */
export async function readBodyWithin(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  limit: number,
  read: { bytes: number },
  keepWhatCame: () => boolean,
): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let complete = true;
  try {
    for await (const chunk of body) {
      read.bytes += chunk.length;
      if (read.bytes > limit) {
        complete = false;
        body.destroy();
        break;
      }
      chunks.push(chunk);
    }
  } catch (bodyError) {
    if (!keepWhatCame()) throw bodyError;
  }
  return { bytes: Buffer.concat(chunks), complete };
}

/** The scores of a success's body (`decoded` from `bytes`, read `complete` or cut at MAX_ANSWER_BYTES). */
export function answerScores(decoded: BodyText, bytes: Buffer, complete: boolean, status: number): Scores {
  // Over the limit on the wire: its compressed bytes, cut there, do not decompress, and need not.
  if (!complete) throw oversizedAnswer(MAX_ANSWER_BYTES, ('text' in decoded ? decoded.text : bytes.toString('latin1')).slice(0, 200));
  if ('refused' in decoded) {
    // The model's answer under the header of a compression undone on the way is read as one; else it is refused
    // for what its header says, not as "not JSON".
    const scores = answerAsSent(decoded.asSent, status);
    if (!scores) throw malformedAnswer(decoded.refused);
    return scores;
  }
  if (decoded.over) throw oversizedAnswer(MAX_ANSWER_BYTES, decoded.text.slice(0, 200), decoded.over.encoding);
  return parseAnswer(decoded.text, status);
}
