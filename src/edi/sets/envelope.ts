/**
 * The frame every inbound mapper checks first: ST with the expected set id, SE last. Control
 * numbers and SE01 counts are the X12 reader's business (src/edi/x12/); here only what the
 * mapping relies on.
 */
import { segmentProblem, type Problems } from './elements.js';
import { el, locate, type InSegment, type Located } from './segments.js';

const TAG = /^[A-Z][A-Z0-9]{1,2}$/;

/** The segments between ST and SE, located; records problems for a wrong frame or unreadable tags. */
export function setBody(p: Problems, segments: readonly InSegment[], setId: string): Located[] {
  const all = locate(segments);
  const st = all[0];
  if (!st || st.seg.tag !== 'ST') {
    segmentProblem(p, 'ST', 1, '3', `the set does not start with ST`);
    return [];
  }
  if (el(st.seg, 1) !== setId) {
    p.list.push({ segmentTag: 'ST', segmentPosition: 1, segmentCode: '8', elementPosition: 1, elementCode: '7', elementReference: '143', value: el(st.seg, 1) ?? '', message: `ST01 "${el(st.seg, 1) ?? ''}" is not ${setId}` });
  }
  const last = all[all.length - 1]!;
  const hasSe = last.seg.tag === 'SE';
  if (!hasSe) segmentProblem(p, 'SE', all.length + 1, '3', 'the set does not end with SE');
  const body = all.slice(1, hasSe ? -1 : undefined);
  for (const at of body) {
    if (!TAG.test(at.seg.tag)) segmentProblem(p, at.seg.tag, at.position, '1', `"${at.seg.tag}" is not a segment id`);
  }
  return body.filter((at) => TAG.test(at.seg.tag));
}

/** Where a missing mandatory segment was expected: the position of the segment after the heading (or SE). */
export function expectedAt(body: readonly Located[], before: (tag: string) => boolean): number {
  return body.find((at) => before(at.seg.tag))?.position ?? (body.length > 0 ? body[body.length - 1]!.position + 1 : 2);
}

/** One warning naming the segments a mapping read past without using. */
export function ignoredWarning(ignored: ReadonlySet<string>): string[] {
  return ignored.size > 0 ? [`segments not mapped (kept in the raw document only): ${[...ignored].sort().join(', ')}`] : [];
}
