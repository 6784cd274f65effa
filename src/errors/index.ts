/**
 * An error whose message is meant for the person at the keyboard: one line, no stack trace. Every layer
 * (documents, index, engine, bot, scripts) throws it; the scripts print it as it is. Anything else that
 * escapes a script is a bug and is reported as such (still in one line).
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
