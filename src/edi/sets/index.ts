/**
 * X12 transaction-set mappings: pure functions between the segments of one set and canonical
 * documents. Inbound: `x12…To…(segments, ctx)` → `SetResult` (problems shaped for a 997).
 * Outbound: `…ToX12…(input, ctx)` → the segments between ST and SE.
 */
export type { InSegment, OutSegment, SetContext, SetProblem, SetResult, X12Version, SegmentSyntaxCode, ElementSyntaxCode } from './segments.js';
export { PartnerMappingProfile, partnerProfileProblems } from './partner-profile.js';
export { x12PurchaseOrderToOrder } from './850.js';
export { x12ChangeOrderToRevision, type OrderChange, type OrderRevision, type ChangeOptions } from './860.js';
export { orderToX12Acknowledgment, type AcknowledgmentInput, type LineDecision, type LineDecisionStatus } from './855.js';
export { shipmentToX12ShipNotice, type ShipNoticeInput } from './856.js';
export { invoiceToX12Invoice, type InvoiceInput } from './810.js';
export { availabilityToX12InventoryAdvice, x12InventoryAdviceToAvailability, type InventoryAdviceInput } from './846.js';
export { orderToX12WarehouseShippingOrder, type WarehouseOrderInput } from './940.js';
export { x12WarehouseShippingAdviceToShipment } from './945.js';
export { groupToX12FunctionalAck, x12FunctionalAckToResult, type ReceivedGroup, type ReceivedSet, type FunctionalAck, type AckedSet } from './997.js';
export { buildSscc, gs1CheckDigit, isValidSscc, type SsccParts } from './sscc.js';
export { ATTR as X12_ATTRIBUTES } from './echo.js';
