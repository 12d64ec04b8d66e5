import { writeFileSync } from 'node:fs';
import { renderErrorsMarkdown } from '../src/errors/docs.js';
import { renderConfigMarkdown } from '../src/config/docs.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsMarkdown());
writeFileSync(new URL('../docs/config.md', import.meta.url), renderConfigMarkdown());
console.log('wrote docs/errors.md and docs/config.md');
