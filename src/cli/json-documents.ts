/**
 * Reads one JSON document, or several written one after the other ("side by side": `{…} {…}`
 * or one per line), as vendors' API answers are often saved. Errors give the offset.
 */
export function readJsonDocuments(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('the file is empty');
  try {
    return [JSON.parse(trimmed)];
  } catch (whole) {
    const parts = splitTopLevel(trimmed);
    if (parts.length < 2) throw new Error(`not valid JSON: ${(whole as Error).message}`);
    return parts.map(({ start, end }) => {
      try {
        return JSON.parse(trimmed.slice(start, end)) as unknown;
      } catch (error) {
        throw new Error(`the document at offset ${start} is not valid JSON: ${(error as Error).message}`);
      }
    });
  }
}

/** Spans of the top-level objects and arrays, found by bracket depth outside strings. */
function splitTopLevel(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && start >= 0) spans.push({ start, end: i + 1 });
    }
  }
  return spans;
}
