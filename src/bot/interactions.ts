import { performance } from 'node:perf_hooks';
import { MessageFlags, type ButtonInteraction, type Interaction } from 'discord.js';
import { commands } from './commands/index.js';
import type { BotContext } from './context.js';
import { NO_MENTIONS, deliverToInteraction, notice } from './deliver.js';
import { parseFeedbackId } from './present.js';
import { APOLOGY } from './questions.js';

/** Routes an interaction to its command, autocomplete or button; a failure gets an apology and a log line. */
export async function handleInteraction(context: BotContext, interaction: Interaction): Promise<void> {
  const receivedAt = performance.now();
  try {
    if (interaction.isAutocomplete()) {
      await commands.get(interaction.commandName)?.autocomplete?.(interaction, context);
    } else if (interaction.isChatInputCommand()) {
      const command = commands.get(interaction.commandName);
      if (!command) {
        await deliverToInteraction(interaction, notice('I no longer know this command; an admin should run `npm run register-commands`.'), { ephemeral: true });
        return;
      }
      await command.execute(interaction, context, receivedAt);
    } else if (interaction.isButton()) {
      await handleButton(context, interaction);
    }
  } catch (error) {
    context.logger.error({ err: error, interactionId: interaction.id, type: interaction.type }, 'interaction handler failed');
    if (!interaction.isRepliable()) return;
    try {
      if (interaction.deferred || interaction.replied)
        await interaction.editReply({ content: APOLOGY, embeds: [], components: [], allowedMentions: NO_MENTIONS });
      else await interaction.reply({ content: APOLOGY, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    } catch (replyError) {
      context.logger.error({ err: replyError, interactionId: interaction.id }, 'could not deliver the apology');
    }
  }
}

async function handleButton(context: BotContext, interaction: ButtonInteraction): Promise<void> {
  const feedback = parseFeedbackId(interaction.customId);
  if (!feedback) return;
  const stored = context.records.setFeedback(feedback.recordId, interaction.user.id, feedback.vote);
  const text = stored
    ? `Thanks — your ${feedback.vote > 0 ? '👍' : '👎'} is recorded.`
    : 'I no longer have a record of this answer, so the feedback could not be stored.';
  await deliverToInteraction(interaction, notice(text), { ephemeral: true });
}
