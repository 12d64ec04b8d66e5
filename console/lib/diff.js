// What changed between a message as received and its canonical form. The two documents have
// different shapes (a channel's `line_items[0].sku` is crossdock's `lines[0].sku`), so comparing
// path by path alone would call everything changed: instead every leaf value is looked up in the
// other document, and a value found there — at any path — is linked to it. Pure: no DOM.

/** A JSON Pointer (RFC 6901) segment. */
function escape(segment) {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Every leaf of a JSON value with its JSON Pointer, in document order. Empty objects and arrays
 * are leaves too, so that "dropped a whole (empty) section" is still visible.
 */
export function flatten(value, path = '', out = []) {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push({ path, value });
    value.forEach((item, index) => flatten(item, `${path}/${index}`, out));
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) out.push({ path, value });
    for (const key of keys) flatten(value[key], `${path}/${escape(key)}`, out);
  } else {
    out.push({ path, value });
  }
  return out;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * The key under which a value is looked up in the other document, or undefined for values too
 * common to mean anything when found elsewhere (null, booleans, empty containers). `"10.00"` and
 * `10` are the same amount: channels send money as strings or numbers.
 */
export function valueKey(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? `n:${value}` : undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    return NUMERIC.test(trimmed) ? `n:${Number(trimmed)}` : `s:${trimmed}`;
  }
  return undefined;
}

function same(a, b) {
  if (a === b) return true;
  const ka = valueKey(a);
  return ka !== undefined && ka === valueKey(b);
}

function index(leaves) {
  const byKey = new Map();
  for (const leaf of leaves) {
    const key = valueKey(leaf.value);
    if (key === undefined) continue;
    const paths = byKey.get(key) ?? [];
    paths.push(leaf.path);
    byKey.set(key, paths);
  }
  return byKey;
}

/**
 * Compares two JSON values leaf by leaf. Each side lists its leaves with a status:
 * - `same`: the other side has the same value at the same path;
 * - `moved`: the other side has this value, at another path (`links` names where);
 * - `changed`: the other side has this path with a different value, and not this value elsewhere;
 * - `dropped` (left only) / `added` (right only): neither the path nor the value is on the other side.
 * `links` always lists every path on the other side holding the same value.
 */
export function diffDocuments(left, right) {
  const leftLeaves = flatten(left);
  const rightLeaves = flatten(right);
  const leftByPath = new Map(leftLeaves.map((l) => [l.path, l.value]));
  const rightByPath = new Map(rightLeaves.map((l) => [l.path, l.value]));
  const leftByValue = index(leftLeaves);
  const rightByValue = index(rightLeaves);

  function classify(leaf, otherByPath, otherByValue, missing) {
    const key = valueKey(leaf.value);
    const links = key === undefined ? [] : [...(otherByValue.get(key) ?? [])];
    const hasPath = otherByPath.has(leaf.path);
    let status;
    if (hasPath && same(leaf.value, otherByPath.get(leaf.path))) status = 'same';
    else if (links.length > 0) status = 'moved';
    else if (hasPath) status = 'changed';
    else status = missing;
    if (status === 'same' && !links.includes(leaf.path)) links.unshift(leaf.path);
    return { path: leaf.path, value: leaf.value, status, links };
  }

  const leftOut = leftLeaves.map((leaf) => classify(leaf, rightByPath, rightByValue, 'dropped'));
  const rightOut = rightLeaves.map((leaf) => classify(leaf, leftByPath, leftByValue, 'added'));
  const count = (rows, status) => rows.filter((r) => r.status === status).length;
  return {
    left: leftOut,
    right: rightOut,
    summary: {
      linked: count(rightOut, 'same') + count(rightOut, 'moved'),
      changed: count(rightOut, 'changed'),
      added: count(rightOut, 'added'),
      dropped: count(leftOut, 'dropped'),
    },
  };
}

/** Parses a raw body as JSON when it is JSON; undefined otherwise (XML, EDI, CSV stay text). */
export function parseRaw(raw) {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
