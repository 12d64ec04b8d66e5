import Type, { type Static } from 'typebox';

/** One 3PL / WMS stock feed (CSV over SFTP, a folder or HTTP). Filled in by the feeds module. */
export const InventoryFeedSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Feed id: the journal source (`feed:<id>`) and `POST /v1/inventory/feeds/{id}`' }),
  },
  { additionalProperties: false },
);
export type InventoryFeedFile = Static<typeof InventoryFeedSchema>;

/** A feed as configured, with defaults applied and `env:NAME` strings read. */
export interface InventoryFeedSettings {
  id: string;
}

/** Applies defaults; problems name the path (`/inventory/feeds/0/...`). */
export function resolveInventoryFeeds(feeds: readonly InventoryFeedFile[], _env: NodeJS.ProcessEnv, _problems: string[]): InventoryFeedSettings[] {
  return feeds.map((f) => ({ id: f.id }));
}
