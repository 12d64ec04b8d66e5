/**
 * SSCC-18 (Serial Shipping Container Code, GS1 application identifier 00): extension digit +
 * GS1 company prefix (7–10 digits) + serial reference, 17 digits in all, + a GS1 mod-10 check
 * digit. The 856 carries it in MAN*GM per carton or pallet; retailers scan the label and match.
 * Check digit: from the right, weights 3, 1, 3, 1 …; the digit that rounds the sum up to a
 * multiple of 10 (GS1 General Specifications §7.9; worked examples at
 * https://barcoderesource.com/sscc_gtin_mod10.shtml).
 */

/** GS1 mod-10 check digit of a string of digits (GTIN, GLN, SSCC without its check digit). */
export function gs1CheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError(`not digits: "${digits}"`);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True for 18 digits whose last is the GS1 check digit of the first 17. */
export function isValidSscc(sscc: string): boolean {
  return /^\d{18}$/.test(sscc) && gs1CheckDigit(sscc.slice(0, 17)) === Number(sscc[17]);
}

export interface SsccParts {
  /** 0–9, chosen by the company to extend the serial range (often the packing station). */
  extension: number;
  /** GS1 company prefix, 7–10 digits. */
  companyPrefix: string;
  /** Serial reference; padded with zeros to fill 16 digits together with the prefix. */
  serial: number | bigint | string;
}

/** Builds an SSCC-18 with its check digit. Throws RangeError when the parts cannot form one (a configuration error). */
export function buildSscc(parts: SsccParts): string {
  const { extension, companyPrefix } = parts;
  if (!Number.isInteger(extension) || extension < 0 || extension > 9) throw new RangeError(`extension digit must be 0-9: ${extension}`);
  if (!/^\d{7,10}$/.test(companyPrefix)) throw new RangeError(`GS1 company prefix must be 7-10 digits: "${companyPrefix}"`);
  const serial = String(parts.serial);
  const width = 16 - companyPrefix.length;
  if (!/^\d+$/.test(serial) || serial.length > width) throw new RangeError(`serial reference must be at most ${width} digits with a ${companyPrefix.length}-digit prefix: "${serial}"`);
  const body = `${extension}${companyPrefix}${serial.padStart(width, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
}
