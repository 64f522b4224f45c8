/**
 * The suffixes of the columns score appends to a CSV/TSV record, in order (`<prefix>_label` … `<prefix>_error`). Apart
 * from csv-format.ts, which loads csv-parse, so that the check of an existing file at -o (paths/output-target.ts),
 * made at every start, loads nothing more.
 */
export const OUTPUT_COLUMN_SUFFIXES = ['label', 'positive', 'negative', 'truncated', 'error'] as const;
