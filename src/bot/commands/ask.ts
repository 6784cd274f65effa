import { performance } from 'node:perf_hooks';
import { SlashCommandBuilder } from 'discord.js';
import { questionText } from '../conversation.js';
import { deliverToInteraction, notice } from '../deliver.js';
import { rejectQuestion, runQuestion } from '../questions.js';
import type { BotCommand } from './types.js';

export const askCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question about the indexed policy documents; the answer cites its sources.')
    .addStringOption((option) => option.setName('question').setDescription('Your question').setRequired(true)),

  async execute(interaction, context, receivedAt) {
    const typed = interaction.options.getString('question', true);
    const question = questionText(typed);
    const rejection = question ? rejectQuestion(context, question, interaction.user.id) : 'Please write a question after /ask.';
    if (rejection) {
      await deliverToInteraction(interaction, notice(rejection), { ephemeral: true });
      return;
    }
    // Acknowledge before queueing: Discord drops interactions not acknowledged within 3 s.
    await interaction.deferReply();
    const ackMs = performance.now() - receivedAt;
    await runQuestion(context, {
      eventId: interaction.id,
      question,
      userId: interaction.user.id,
      via: 'slash',
      receivedAt,
      ackMs,
      title: typed.trim(),
      history: async () => [],
      deliver: (messages) => deliverToInteraction(interaction, messages),
    });
  },
};
