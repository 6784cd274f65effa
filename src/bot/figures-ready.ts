import type { RepliableInteraction } from 'discord.js';
import type { Engine } from '../engine/types.js';

/**
 * In a bot's first seconds its figures lookup is still being read (seconds for a large library). A lookup waits
 * for it rather than building one in the event loop; within Discord's 3 s an interaction must be answered, so
 * autocomplete waits briefly and a command is acknowledged first when the wait is longer. The autocomplete wait
 * leaves room for the pauses of that reading (up to about a second, at 100,000 passages) and the network.
 */
const AUTOCOMPLETE_WAIT_MS = 1_000;
const ACKNOWLEDGE_AFTER_MS = 1_500;

/** Whether the lookup is ready within the time an autocomplete may take (else it answers with no choices). */
export async function figuresReadyForAutocomplete(engine: Engine): Promise<boolean> {
  return readyWithin(engine, AUTOCOMPLETE_WAIT_MS);
}

/** Waits for the lookup, deferring the reply first if it is not ready soon. */
export async function awaitFigures(engine: Engine, interaction: RepliableInteraction): Promise<void> {
  if (await readyWithin(engine, ACKNOWLEDGE_AFTER_MS)) return;
  if (!interaction.deferred && !interaction.replied) await interaction.deferReply();
  await engine.figuresReady();
}

async function readyWithin(engine: Engine, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([engine.figuresReady().then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
