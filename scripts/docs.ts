import { writeFileSync } from 'node:fs';
import { renderErrorsMarkdown } from '../src/errors/docs.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsMarkdown());
console.log('wrote docs/errors.md');
