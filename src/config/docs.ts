import { ConfigSchema } from './schema.js';

interface SchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  enum?: string[];
  anyOf?: SchemaNode[];
}

function rows(node: SchemaNode, path: string): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const here = path ? `${path}.${key}` : key;
    const nested = child.properties ?? Object.values(child.patternProperties ?? {})[0]?.properties;
    if (nested) {
      if (child.description) out.push(`| \`${here}\` | object | ${child.description} |`);
      const inner = child.properties ? child : (Object.values(child.patternProperties ?? {})[0] as SchemaNode);
      out.push(...rows(inner, child.properties ? here : `${here}.<name>`));
      continue;
    }
    const type = child.enum ? child.enum.map((v) => `\`${v}\``).join(' \\| ') : typeName(child);
    out.push(`| \`${here}\` | ${type} | ${child.description ?? ''} |`);
  }
  return out;
}

/** A node's JSON type; a union of plain types (`boolean | string`) is listed as such. */
function typeName(node: SchemaNode): string {
  const members = node.anyOf?.map((m) => m.type);
  if (members?.length && members.every((t) => t !== undefined && t !== 'object')) return members.join(' \\| ');
  return node.type ?? 'object';
}

/** `docs/config.md`, generated from the configuration schema (a test keeps them equal). */
export function renderConfigMarkdown(): string {
  return [
    '# Configuration',
    '',
    'crossdock reads one YAML file (`crossdock start --config FILE`), validated against this schema at',
    'start-up; `crossdock config check FILE` prints the problems or the effective configuration.',
    'Every key is optional: with no file, crossdock runs on its embedded defaults (SQLite in `./data`,',
    'the in-process sandbox ERP, port 8080). Secrets come from the environment, never the file:',
    '`CROSSDOCK_DATABASE_URL`, and `CROSSDOCK_PORT`, `CROSSDOCK_HOST`, `CROSSDOCK_DATA_DIR`,',
    '`CROSSDOCK_LOG_LEVEL` override the file; command-line flags override both.',
    '',
    'This file is generated from `src/config/schema.ts` (`npm run docs`).',
    '',
    '| key | type | meaning |',
    '|---|---|---|',
    ...rows(ConfigSchema as unknown as SchemaNode, ''),
    '',
    'Example:',
    '',
    '```yaml',
    'dataDir: /var/lib/crossdock',
    'server: { port: 8080 }',
    'worker: { concurrency: 32, maxAttempts: 12 }',
    'protection:',
    '  erp: { ratePerSecond: 20, concurrency: 4, timeoutMs: 15000 }',
    'erp:',
    '  url: http://127.0.0.1:4010/sandbox/erp',
    '```',
    '',
  ].join('\n');
}
