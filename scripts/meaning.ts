import fs from 'node:fs';
import path from 'node:path';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { UserError } from '../src/errors/index.js';
import { loadSynonyms, loadWordVectors } from '../src/meaning/index.js';
import { termOfWord } from '../src/text/tokenize.js';

const USAGE = 'npm run meaning -- [--rebuild] [word/word …]';

/** Synonyms and mere relatives of the domain: what the cosine and WordNet are measured on. */
const PAIRS = [
  'quickly/rapidly',
  'firms/companies',
  'researchers/scientists',
  'grew/increased',
  'rose/increased',
  'fell/declined',
  'funding/financing',
  'goal/target',
  'output/production',
  'money/investment',
  'deals/projects',
  'output/gdp',
  'tech/technology',
  'weather/rain',
  'revenue/valuation',
  'million/billion',
  'increase/decrease',
  'exports/imports',
  'china/japan',
  'bread/technology',
];

/** Builds (with --rebuild) or loads the word-meaning caches, timing them, and shows cosine and WordNet verdict of word pairs. */
runScript(async () => {
  const { values, positionals } = parseCliArgs({ rebuild: { type: 'boolean' } }, USAGE);
  const pairs = (positionals.length ? positionals : PAIRS).map((pair) => {
    const words = pair.split('/');
    if (words.length !== 2) throw new UserError(`"${pair}" is not a pair of words like firms/companies — usage: ${USAGE}`);
    return words as [string, string];
  });
  const { meaningCacheDir } = loadConfig();
  if (values.rebuild) for (const file of ['word-vectors.bin', 'synonyms.bin']) fs.rmSync(path.join(meaningCacheDir, file), { force: true });
  const onNotice = (message: string) => process.stdout.write(`  (${message})\n`);

  const timed = async <T>(label: string, file: string, load: () => Promise<T>): Promise<T> => {
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const loaded = await load();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
    const size = fs.existsSync(path.join(meaningCacheDir, file)) ? `${megabytes(fs.statSync(path.join(meaningCacheDir, file)).size)} MB` : 'no file';
    const added = process.memoryUsage().rss - rss;
    process.stdout.write(`${label}: ${seconds} s, cache ${size}, RSS ${added < 0 ? '' : '+'}${megabytes(added)} MB\n`);
    return loaded;
  };
  const vectors = await timed('word vectors', 'word-vectors.bin', () => loadWordVectors(meaningCacheDir, { onNotice }));
  const synonyms = await timed('WordNet synonyms', 'synonyms.bin', () => loadSynonyms(meaningCacheDir, { onNotice }));

  const rows = pairs.map(([a, b]) => {
    const [termA, termB] = [termOfWord(a), termOfWord(b)];
    if (!termA || !termB) return [`${a} / ${b}`, 'a stopword or not one word', '', ''];
    return [`${a} / ${b}`, `${termA} / ${termB}`, vectors.similarity(termA, termB).toFixed(2), synonyms.areSynonyms(termA, termB) ? 'synonyms' : '—'];
  });
  const table = [['pair', 'terms', 'cosine', 'WordNet'], ...rows];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  process.stdout.write(
    `\n${table
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n')}\n`,
  );
});
