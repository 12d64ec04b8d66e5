import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from './canonical-json.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same hash to the same document written in another key order', () => {
    expect(sha256(canonicalJson({ x: 1, y: [1, 2] }))).toBe(sha256(canonicalJson({ y: [1, 2], x: 1 })));
    expect(sha256(canonicalJson({ x: 1, y: [1, 2] }))).not.toBe(sha256(canonicalJson({ x: 1, y: [2, 1] })));
  });

  it('writes strings, numbers, booleans and null as JSON does', () => {
    expect(canonicalJson(['a"b', 1.5, true, null])).toBe('["a\\"b",1.5,true,null]');
  });
});
