import { UserError } from '../src/errors/index.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { formatReport, runBench } from '../src/bench/index.js';

const USAGE = 'npm run bench -- [--json] [--sizes 1000,20000,100000] [--queries N] [--skip-bot]';
const DEFAULT_SIZES = '1000,20000';

runScript(async () => {
  const { values, positionals } = parseCliArgs(
    {
      json: { type: 'boolean' },
      'skip-bot': { type: 'boolean' },
      sizes: { type: 'string', default: DEFAULT_SIZES },
      queries: { type: 'string', default: '200' },
    },
    USAGE,
  );
  if (positionals.length) throw new UserError(`unexpected argument "${positionals[0]}" — usage: ${USAGE}`);
  const sizes = values.sizes.split(',').map((size) => Number(size.trim().replace(/_/g, '')));
  if (!sizes.length || sizes.some((size) => !Number.isInteger(size) || size < 50 || size > 2_000_000)) {
    throw new UserError(`--sizes must be passage counts from 50 to 2000000 separated by commas, not "${values.sizes}"`);
  }
  const queries = Number(values.queries);
  if (!Number.isInteger(queries) || queries < 1 || queries > 100_000)
    throw new UserError(`--queries must be a whole number from 1 to 100000, not "${values.queries}"`);
  const report = await runBench({ sizes, queries, bot: !values['skip-bot'], log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
});
