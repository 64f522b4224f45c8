/**
 * The mark every HTML report carries in its head, so that a later `report -o` (or `score --report`) knows the file at
 * its path for an earlier report it may replace (paths/report-replace.ts), reading only its first bytes.
 */
export const GENERATOR_META = '<meta name="generator" content="sentiment-batch report">';
