import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError, oneLine } from './errors.js';

/**
 * Runs a script's main function: a UserError becomes one line on stderr and exit code 1,
 * an unexpected error one line naming it as a bug (the stack only with DEBUG=1).
 */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode ??= 0;
    },
    (error: unknown) => {
      if (error instanceof UserError) {
        process.stderr.write(`error: ${oneLine(error.message)}\n`);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`error: unexpected failure: ${oneLine(message)} (set DEBUG=1 for details)\n`);
        if (process.env.DEBUG) console.error(error);
      }
      process.exitCode = 1;
    },
  );
}

/** `util.parseArgs` with its errors turned into one-line UserErrors that show the usage. */
export function parseCliArgs<T extends ParseArgsConfig['options']>(options: T, usage: string, args = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`${message.split('\n')[0]} — usage: ${usage}`);
  }
}
