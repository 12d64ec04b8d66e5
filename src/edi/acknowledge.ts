import type { InterchangeReading } from './read-interchange.js';
import { groupToX12FunctionalAck, type X12Version } from './sets/index.js';
import { buildTransactionSet, type Delimiters, type Interchange, type InterchangeInput, type IsaHeader, type SegmentData } from './x12/index.js';

export interface AckNumbers {
  /** ISA13 of the acknowledging interchange. */
  interchange: number;
  /** GS06 of its group of 997s. */
  group: number;
  /** ST02 of the first 997; the others follow. */
  firstSet: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** ISA date and time, GS date and time, of `at`. */
function stamps(at: Date): { isaDate: string; isaTime: string; gsDate: string; gsTime: string } {
  const iso = at.toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 16).replace(':', '');
  return { isaDate: date.slice(2), isaTime: time, gsDate: date, gsTime: time };
}

/**
 * What crossdock sends back for an interchange it read: one 997 per functional group received
 * (none for groups of 997s: acknowledgments are not acknowledged), or, when the interchange is
 * rejected whole, a TA1 with the reason (TA104 R, TA105 the note code). Sender and receiver are
 * the received ones swapped; delimiters and version are the partner's.
 */
export function acknowledgmentFor(
  received: Interchange,
  reading: InterchangeReading,
  numbers: AckNumbers,
  options: { delimiters?: Delimiters; at?: Date } = {},
): InterchangeInput | undefined {
  const at = options.at ?? new Date();
  const s = stamps(at);
  const isa: IsaHeader = {
    ...received.isa,
    senderQualifier: received.isa.receiverQualifier, senderId: received.isa.receiverId,
    receiverQualifier: received.isa.senderQualifier, receiverId: received.isa.senderId,
    date: s.isaDate, time: s.isaTime, controlNumber: pad(numbers.interchange, 9), ackRequested: '0',
  };
  const delimiters = options.delimiters ?? received.delimiters;

  if (reading.rejected.length > 0) {
    const first = reading.rejected[0]!;
    const ta1: SegmentData = {
      tag: 'TA1',
      elements: [received.isa.controlNumber, received.isa.date, received.isa.time, 'R', first.ta1 ?? '022'],
    };
    return { isa, delimiters, groups: [], ta1: [ta1] };
  }

  const toAck = reading.groups.filter((g) => g.functionalId !== 'FA');
  if (toAck.length === 0) return undefined;
  const version = received.groups[0]?.version ?? '004010';
  const x12Version: X12Version = version.startsWith('005010') ? '005010' : '004010';
  let st = numbers.firstSet;
  const sets = toAck.map((group) =>
    buildTransactionSet('997', pad(st++, 4), groupToX12FunctionalAck(group, { version: x12Version }), { delimiters }));
  return {
    isa, delimiters,
    groups: [{
      functionalId: 'FA', appSender: received.groups[0]?.appReceiver ?? isa.senderId.trim(), appReceiver: received.groups[0]?.appSender ?? isa.receiverId.trim(),
      date: s.gsDate, time: s.gsTime, controlNumber: String(numbers.group), agency: 'X', version, sets,
    }],
  };
}
