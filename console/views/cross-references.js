import { announce, empty, h, replace, time } from '../lib/dom.js';

// The cross-references set from the console (or the API): which channel SKU or customer maps to
// which ERP item or account, who set it and when. Removing one takes effect for orders processed
// from then on; orders already posted keep what they were posted with.

function describe(ref) {
  if (ref.kind === 'customer') return ref.value.account;
  return [ref.value.sku, ref.value.uom ? `(${ref.value.uom})` : null, ref.value.factor && ref.value.factor !== 1 ? `× ${ref.value.factor}` : null].filter(Boolean).join(' ');
}

/** A section listing the cross-references; `reload()` reads them again (after a fix). */
export function crossReferencesSection(ctx) {
  const body = h('div');
  const canEdit = ctx.can('mappings:write');

  async function remove(ref) {
    try {
      await ctx.api.del(`/v1/cross-references/${encodeURIComponent(ref.channel)}/${ref.kind}/${encodeURIComponent(ref.key)}`, { expectedScope: 'mappings:write' });
      announce(`Removed the ${ref.kind} mapping for ${ref.key}`, 'ok');
      await reload();
    } catch (error) {
      announce(error.detail || error.message, 'error');
    }
  }

  async function reload() {
    try {
      const { items } = await ctx.api.get('/v1/cross-references');
      replace(body, items.length === 0 ? empty('No cross-references have been set at run time.')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', 'data-testid': 'cross-references' },
          h('thead', {}, h('tr', {}, ['Channel', 'Kind', 'Channel key', 'Maps to', 'Set by', 'When', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, items.map((ref) => h('tr', {},
            h('td', {}, ref.channel), h('td', {}, ref.kind), h('td', { class: 'mono' }, ref.key), h('td', { class: 'mono' }, describe(ref)),
            h('td', {}, ref.updatedBy), h('td', {}, time(ref.updatedAt)),
            h('td', {}, canEdit ? h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': `Remove mapping for ${ref.key}`, on: { click: () => remove(ref) } }, 'Remove') : null)))))));
    } catch (error) {
      replace(body, h('p', { class: 'muted' }, `Cross-references are not available: ${error.detail || error.message}`));
    }
  }

  const section = h('details', { class: 'card section' }, h('summary', {}, h('strong', {}, 'Cross-references set at run time')), body);
  // Read when opened: most visits to the workbench are about letters, not the mapping table.
  section.addEventListener('toggle', () => { if (section.open) reload(); });
  return { section, reload: () => (section.open ? reload() : Promise.resolve()) };
}
