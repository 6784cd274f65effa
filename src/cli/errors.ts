/**
 * An error whose message is meant for the person at the keyboard: one line, no stack trace.
 * Anything else that escapes a script is a bug and is reported as such (still in one line).
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
