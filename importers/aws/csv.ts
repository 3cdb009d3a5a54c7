// The IAM credential report is CSV; this reads it with line numbers (no library needed for its simple quoting).
/** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. Returns rows with their line. */
export function parseCsv(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') { cells.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      cells.push(field);
      if (cells.some((cell) => cell !== '')) rows.push({ cells, line: rowLine });
      cells = []; field = ''; line++; rowLine = line;
    } else field += c;
  }
  cells.push(field);
  if (cells.some((cell) => cell !== '')) rows.push({ cells, line: rowLine });
  return rows;
}
