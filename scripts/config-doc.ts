import { readFileSync, writeFileSync } from 'node:fs';
import { configTable } from '../src/config.ts';

// Writes the configuration table generated from the schema into README.md, between its config
// markers (test/config.test.ts keeps the two equal). `--print` prints it instead.
const table = configTable();
if (process.argv.includes('--print')) {
  console.log(table);
} else {
  const file = new URL('../README.md', import.meta.url);
  const readme = readFileSync(file, 'utf8');
  const marked = /(<!-- config:begin -->\n)[\s\S]*?(\n<!-- config:end -->)/;
  if (!marked.test(readme)) throw new Error('README.md lacks the <!-- config:begin --> / <!-- config:end --> markers');
  writeFileSync(file, readme.replace(marked, (_m, begin: string, end: string) => `${begin}${table}${end}`));
  console.log(`README.md: configuration table updated (${table.split('\n').length - 2} options)`);
}
