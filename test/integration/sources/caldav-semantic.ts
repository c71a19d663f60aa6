// A semantic view of iCalendar text for comparing what a server stored with what we sent: servers
// (Radicale) refold lines, reorder properties and parameters and re-quote values.

const volatile = new Set(['DTSTAMP', 'LAST-MODIFIED', 'PRODID', 'SEQUENCE']);

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function normalizeLine(line: string): string {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    if (line[i] === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  const head = line.slice(0, colon);
  const value = line.slice(colon + 1);
  const [name, ...params] = splitOutsideQuotes(head, ';');
  const normalizedParams = params
    .map((p) => {
      const eq = p.indexOf('=');
      return `${p.slice(0, eq).toUpperCase()}=${p.slice(eq + 1).replace(/"/g, '')}`;
    })
    .sort();
  return [name?.toUpperCase(), ...normalizedParams].join(';') + ':' + value;
}

/** Every property as "COMPONENT/PATH|NAME;PARAMS:value", sorted, volatile properties left out. */
export function semanticLines(ics: string): string[] {
  const lines = ics
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const path: string[] = [];
  const out: string[] = [];
  for (const line of lines) {
    const normalized = normalizeLine(line);
    const [name] = normalized.split(/[;:]/);
    if (name === 'BEGIN') path.push(normalized.slice(6).toUpperCase());
    else if (name === 'END') path.pop();
    else if (!volatile.has(name ?? '')) out.push(`${path.join('/')}|${normalized}`);
  }
  return out.sort();
}
