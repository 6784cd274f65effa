import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors/index.js';

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Runs a script's main function: a UserError becomes one line on stderr and exit code 1, and so
 * does an unexpected error, named as a bug to report (users never see a stack trace).
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
        const name = error instanceof Error ? error.name : 'Error';
        process.stderr.write(`error: unexpected failure (${name}): ${oneLine(message)} — please report it\n`);
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
