/**
 * Carrier names as canonical shipments carry them → SCAC (Standard Carrier Alpha Code), the
 * code TD503/W2702/W6608 expect. A value that already looks like a SCAC passes through.
 */
const SCAC: Readonly<Record<string, string>> = {
  ups: 'UPSN', fedex: 'FDEG', 'fedex ground': 'FDEG', 'fedex express': 'FDE', usps: 'USPS', dhl: 'DHLC',
};

export function scacOf(carrier: string): string | undefined {
  const known = SCAC[carrier.trim().toLowerCase()];
  if (known) return known;
  return /^[A-Z]{2,4}$/.test(carrier.trim()) ? carrier.trim() : undefined;
}

/** SCAC → a carrier name for canonical shipments (inbound 945). */
export function carrierNameOf(scac: string): string {
  const names: Readonly<Record<string, string>> = { UPSN: 'UPS', UPSS: 'UPS', FDEG: 'FedEx', FDE: 'FedEx', FXFE: 'FedEx Freight', USPS: 'USPS', DHLC: 'DHL' };
  return names[scac] ?? scac;
}
