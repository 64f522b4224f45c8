/**
 * Whether scores are ones a model could have given: probabilities in [0, 1] that sum to 1, the label the larger
 * one's (every answer goes through toScores, scoring/scorer.ts). A journal line edited by hand or damaged on the disk
 * (`"s":["POSITIVE",5,-4]`, a label swapped) is not replayed into the output, where it would be written as an
 * answer with exit 0: its row is sent again, as for a line cut short; nor is such a result cache entry served (cache-codec.ts).
 */
export function isModelAnswer(label: 'POSITIVE' | 'NEGATIVE', positive: unknown, negative: unknown): boolean {
  if (typeof positive !== 'number' || typeof negative !== 'number') return false;
  if (!(positive >= 0 && positive <= 1 && negative >= 0 && negative <= 1)) return false;
  if (Math.abs(positive + negative - 1) > 1e-9) return false;
  return label === (positive >= negative ? 'POSITIVE' : 'NEGATIVE');
}
