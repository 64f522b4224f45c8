/** One CSV line's fields (RFC 4180 quotes, `""` inside them), for a header line: enough to read its names, not records. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let at = 0; at < line.length; at++) {
    const char = line[at]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (line[at + 1] === '"') {
        field += '"';
        at++;
      } else quoted = false;
    } else if (char === '"' && field === '') quoted = true;
    else if (line.startsWith(delimiter, at)) {
      fields.push(field);
      field = '';
      at += delimiter.length - 1;
    } else field += char;
  }
  fields.push(field);
  return fields;
}
