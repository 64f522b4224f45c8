import type { ReportRequest } from '../../src/report/index.js';

/** A report request as `report INPUT -o OUTPUT --as json` with every other flag left at its default, then `more`. */
export function reportRequest(input: string, output: string, more: Partial<ReportRequest> = {}): ReportRequest {
  return {
    input,
    output,
    as: 'json',
    inputFormat: undefined,
    delimiter: undefined,
    text: undefined,
    prefix: undefined,
    by: undefined,
    date: undefined,
    rating: undefined,
    groups: 20,
    examples: 5,
    dayFirst: false,
    summaryPath: undefined,
    ...more,
  };
}
