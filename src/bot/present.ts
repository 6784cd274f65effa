/**
 * Turns answers, figures and listings into Discord message payloads that fit Discord's limits:
 * long text is cut at sentence boundaries or continued in further messages, never rejected.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import { languageName, RELATED_HEADING, relatedLine } from '../answering/format.js';
import type { Answer, Citation, CopyRef } from '../answering/types.js';
import type { IndexInfo, SourceInfo } from '../engine/types.js';
import { writtenWithAlternatives, type Figure, type FigureSeries, type SeriesPoint } from '../figures/index.js';
import { DISCORD_LIMITS, cutText, packLines, splitText } from './limits.js';

/** One message the bot sends (allowed_mentions is added when sending). */
export interface BotMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  /** Attached files; an embed shows one as its image by `attachment://name`. */
  files?: { attachment: Buffer; name: string }[];
}

const ANSWER_COLOR = 0x2f6fdf;
const FIGURE_COLOR = 0x1f9d6b;
export const FEEDBACK_PREFIX = 'feedback';

export interface AnswerPresentation {
  /** When the serving index was built (IndexInfo.builtAt). */
  builtAt: string;
  /** The record id the feedback buttons refer to; no buttons without one. */
  recordId?: number;
  /** Shown as the embed title (the /ask question; a channel reply sits under the question already). */
  title?: string;
}

/** A related sentence under a refusal is cut to this length (two fit a message with room to spare). */
const RELATED_MAX_CHARS = 600;

/** An answer as messages: the embed with [n] markers and numbered sources, a footer with mode and index date. */
export function presentAnswer(answer: Answer, presentation: AnswerPresentation): BotMessage[] {
  const buttons = presentation.recordId === undefined ? [] : [feedbackButtons(presentation.recordId)];
  if (answer.refused) {
    // A refusal is plain text, with no sources; what the documents say near the question follows it, marked as such.
    const related = answer.related?.length
      ? `\n\n${RELATED_HEADING}\n${answer.related.map((quote) => cutText(relatedLine(quote), RELATED_MAX_CHARS)).join('\n')}`
      : '';
    const pieces = splitText(answer.answer + related, DISCORD_LIMITS.content);
    return pieces.map((content, i) => ({ content, components: i === pieces.length - 1 ? buttons : [] }));
  }
  const footer = cutText(answerFooter(answer, presentation.builtAt), DISCORD_LIMITS.footerText);
  const title = presentation.title ? cutText(presentation.title, DISCORD_LIMITS.embedTitle) : undefined;
  // Every embed keeps room for the footer, so whichever ends up last can carry it.
  const embedBudget = DISCORD_LIMITS.embedsTotal - footer.length;
  const embeds: APIEmbed[] = splitText(answer.answer, DISCORD_LIMITS.embedDescription).map((description, i) => ({
    color: ANSWER_COLOR,
    ...(i === 0 && title ? { title } : {}),
    description,
  }));
  if (embeds.length === 0) embeds.push({ color: ANSWER_COLOR, ...(title ? { title } : {}) });
  for (const field of answer.citations.map(citationField)) {
    let last = embeds.at(-1)!;
    const fields = last.fields ?? [];
    if (fields.length >= DISCORD_LIMITS.fieldsPerEmbed || embedLength(last) + fieldLength(field) > embedBudget) {
      last = { color: ANSWER_COLOR };
      embeds.push(last);
    }
    last.fields = [...(last.fields ?? []), field];
  }
  embeds.at(-1)!.footer = { text: footer };
  const messages: BotMessage[] = packEmbeds(embeds).map((group) => ({ embeds: group }));
  messages.at(-1)!.components = buttons;
  return messages;
}

export function answerFooter(answer: Answer, builtAt: string): string {
  const mode = answer.mode === 'llm' ? 'Model-written answer' : 'Extractive answer (quoted from the sources)';
  const reason = answer.mode_reason ? ` — ${cutText(answer.mode_reason, 200)}` : '';
  return `${mode}${reason} · index built ${formatTimestamp(builtAt)}`;
}

/** A numbered source: "[n] title", then date and link, the other sites that published it, then the quoted sentence. */
export function citationField(citation: Citation): APIEmbedField {
  const details = [citation.date, languageName(citation.language), citation.url ? `[link](<${citation.url}>)` : null].filter(Boolean).join(' · ');
  const also = citation.also.length ? `also published by ${cutText(citation.also.map(copyName).join(', '), 300)}` : '';
  const prefix = [details, also]
    .filter(Boolean)
    .map((line) => `${line}\n`)
    .join('');
  const quote = citation.quote.replace(/\s+/g, ' ').trim();
  const quoted = quote ? `> ${cutText(quote, DISCORD_LIMITS.fieldValue - prefix.length - 2)}` : '';
  return {
    name: cutText(`[${citation.n}] ${citation.title}`, DISCORD_LIMITS.fieldName),
    value: cutText(`${prefix}${quoted}`, DISCORD_LIMITS.fieldValue) || '—',
  };
}

/** How a copy is named: its publisher, else its site (the url's host), else its title. */
export function copyName(copy: CopyRef): string {
  if (copy.publisher) return copy.publisher;
  if (copy.url) {
    try {
      return new URL(copy.url).hostname.replace(/^www\./, '');
    } catch {
      // not a URL: named by its title
    }
  }
  return copy.title || copy.source;
}

/** Groups embeds into messages: at most 10 embeds and 6,000 characters of embed text per message. */
export function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let total = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (current.length > 0 && (current.length >= DISCORD_LIMITS.embedsPerMessage || total + length > DISCORD_LIMITS.embedsTotal)) {
      messages.push(current);
      current = [];
      total = 0;
    }
    current.push(embed);
    total += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/** The characters Discord counts towards the 6,000 per message. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + fieldLength(field), 0)
  );
}

function fieldLength(field: APIEmbedField): number {
  return field.name.length + field.value.length;
}

export function feedbackButtons(recordId: number): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${FEEDBACK_PREFIX}:up:${recordId}`, emoji: { name: '👍' }, label: 'Helpful' },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: `${FEEDBACK_PREFIX}:down:${recordId}`,
        emoji: { name: '👎' },
        label: 'Not helpful',
      },
    ],
  };
}

/** Reads a feedback button's custom id; null for any other button. */
export function parseFeedbackId(customId: string): { recordId: number; vote: 1 | -1 } | null {
  const match = /^feedback:(up|down):(\d+)$/.exec(customId);
  return match ? { recordId: Number(match[2]), vote: match[1] === 'up' ? 1 : -1 } : null;
}

/** The measure of a figure over the periods the library states it for (`Engine.figureSeries`), with its chart. */
export interface FigureHistory {
  /** A series that holds the figure. */
  series: FigureSeries;
  /** A document's title, by id. */
  titleOf: (docId: string) => string;
  /** The series' chart as a PNG; null when it has one period or could not be drawn. */
  chart: Buffer | null;
}

const CHART_FILE = 'series.png';
/** The other periods take at most this much of the description (a field's worth), the quote the rest. */
const HISTORY_MAX_CHARS = 1_024;

/**
 * One figure: value, unit, period, scope, the quoted sentence and its source; with its history, the other
 * periods stated (each with its sources) and the chart as the embed's image, or that it has one period only.
 */
export function presentFigure(figure: Figure, builtAt: string, history?: FigureHistory): BotMessage {
  const source = [figure.source.title, figure.source.date, figure.source.url ? `[link](<${figure.source.url}>)` : null].filter(Boolean).join(' · ');
  const fields: APIEmbedField[] = [
    { name: 'Value', value: cutText(`${formatNumber(figure.value)} ${figure.unit}`.trim() || figure.raw, DISCORD_LIMITS.fieldValue), inline: true },
    { name: 'Period', value: cutText(figure.period ?? '—', DISCORD_LIMITS.fieldValue), inline: true },
    { name: 'Scope', value: cutText(figure.scope ?? '—', DISCORD_LIMITS.fieldValue), inline: true },
    { name: 'Source', value: cutText(source || figure.source.id, DISCORD_LIMITS.fieldValue) },
  ];
  const embed: APIEmbed = {
    color: FIGURE_COLOR,
    title: cutText(figure.label, DISCORD_LIMITS.embedTitle),
    fields,
    footer: { text: `From the figures catalog · index built ${formatTimestamp(builtAt)}` },
  };
  const quote = figure.quote.replace(/\s+/g, ' ').trim();
  const others = history ? historyText(figure, history) : '';
  // The description gets what the rest of the embed leaves of the 6,000 characters of a message.
  const budget = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedsTotal - embedLength(embed)) - (others ? others.length + 2 : 0);
  embed.description = [cutText(`**${writtenWithAlternatives(figure)}**${quote ? `\n> ${quote}` : ''}`, budget), others].filter(Boolean).join('\n\n');
  if (!history?.chart) return { embeds: [embed] };
  embed.image = { url: `attachment://${CHART_FILE}` };
  return { embeds: [embed], files: [{ attachment: history.chart, name: CHART_FILE }] };
}

/** "Other periods" and a line per other point (period, value as written, sources); or that there is one period only. */
function historyText(figure: Figure, { series, titleOf }: FigureHistory): string {
  const others = series.points.filter((point) => point.figureId !== figure.id);
  const sourcesOf = (point: SeriesPoint) => point.sources.map((id) => `_${titleOf(id)}_`).join(', ');
  // Another source's other value for the same period: both are shown, each with its source, never one silently.
  const disagreeing = others
    .filter((point) => point.period === figure.period)
    .map((point) => `⚠️ For ${point.period} another source gives ${point.raw} — ${sourcesOf(point)}`);
  const otherPeriods = others.filter((point) => point.period !== figure.period);
  if (otherPeriods.length === 0) return [...disagreeing, `_The library has this figure for one period only (${figure.period})._`].join('\n');
  const heading = '**Other periods**';
  const lines = otherPeriods.map((point) => `• ${point.period}: ${point.raw} — ${sourcesOf(point)}`);
  // Whole lines while they fit, the rest counted; room is kept for that count.
  const more = (n: number) => `…and ${n} more`;
  const [shown] = packLines(lines, HISTORY_MAX_CHARS - heading.length - more(lines.length).length - 2);
  const count = shown.split('\n').length;
  return [...disagreeing, heading, shown, ...(count < lines.length ? [more(lines.length - count)] : [])].join('\n');
}

/** A list of figures, continued over further messages when long. */
export function presentFigureList(heading: string, figures: Figure[], builtAt: string): BotMessage[] {
  const lines = figures.map((figure) => {
    const period = figure.period ? ` (${figure.period})` : '';
    return `• **${figure.label}**: ${writtenWithAlternatives(figure)}${period} — _${figure.source.title}_`;
  });
  return listMessages(heading, lines, `Look one up with /figure · index built ${formatTimestamp(builtAt)}`, FIGURE_COLOR);
}

/** The indexed documents, each copy of a release under its canonical document, and when the index was built. */
export function presentSources(sources: SourceInfo[], info: IndexInfo): BotMessage[] {
  const copies = new Map<string, SourceInfo[]>();
  for (const source of sources) if (source.copyOf) copies.set(source.copyOf, [...(copies.get(source.copyOf) ?? []), source]);
  const known = new Set(sources.map((source) => source.id));
  const lines = sources
    // A copy is listed under its canonical document (on its own only if that one is not listed).
    .filter((source) => !source.copyOf || !known.has(source.copyOf))
    .flatMap((source) => {
      const { id, meta, passages } = source;
      const details = [meta.date, meta.publisher, meta.url ? `[link](<${meta.url}>)` : null, `${passages} passages`].filter(Boolean).join(' · ');
      const copyLines = (copies.get(id) ?? []).map((copy) => {
        const where = [copy.meta.date, copy.meta.url ? `[link](<${copy.meta.url}>)` : null].filter(Boolean).join(' · ');
        return `↳ copy: ${copyName({ source: copy.id, title: copy.meta.title, url: copy.meta.url, publisher: copy.meta.publisher })}${where ? ` — ${where}` : ''}`;
      });
      return [`• **${meta.title || id}** — ${details}`, ...copyLines];
    });
  const footer = `Index built ${formatTimestamp(info.builtAt)} · ${info.documents} documents, ${info.passages} passages · embeddings ${info.embedder}`;
  const copyCount = sources.filter((source) => source.copyOf).length;
  const heading = `Indexed documents (${sources.length}${copyCount ? `, ${copyCount} of them ${copyCount === 1 ? 'a copy' : 'copies'} of another` : ''})`;
  return listMessages(heading, lines.length ? lines : ['No documents are indexed yet.'], footer, ANSWER_COLOR);
}

function listMessages(heading: string, lines: string[], footer: string, color: number): BotMessage[] {
  const title = cutText(heading, DISCORD_LIMITS.embedTitle);
  const budget = DISCORD_LIMITS.embedsTotal - title.length - footer.length;
  const embeds: APIEmbed[] = packLines(lines, Math.min(DISCORD_LIMITS.embedDescription, budget)).map((description, i) => ({
    color,
    ...(i === 0 ? { title } : {}),
    description,
  }));
  embeds.at(-1)!.footer = { text: cutText(footer, DISCORD_LIMITS.footerText) };
  return packEmbeds(embeds).map((group) => ({ embeds: group }));
}

export function helpMessage(info: IndexInfo, askChannels: string[]): BotMessage {
  const channels = askChannels.length ? ` Every message in ${askChannels.map((id) => `<#${id}>`).join(', ')} is taken as a question.` : '';
  const description = [
    `I answer questions about the innovation-policy documents and press releases I have indexed (${info.documents} documents), and I cite the sentences I answer from. If the documents don't say, I say so.`,
    '',
    '**How to ask**',
    '• `/ask question:` — any question, e.g. how much, when, who or what a policy does.',
    `• Mention me with your question.${channels}`,
    '• Follow up by replying to my answer or in a thread: I keep the conversation in mind.',
    '',
    '**Figures and sources**',
    '• `/figure name:` — one key figure (value, period, scope, quote and source), its other periods and a chart, with suggestions as you type.',
    '• `/figures [topic]` — the key figures, or those of a topic.',
    '• `/sources` — the indexed documents and when the index was built.',
    '',
    'Rate an answer with 👍 or 👎 — it helps the maintainers improve the documents and the bot.',
  ].join('\n');
  return { embeds: [{ color: ANSWER_COLOR, title: 'What I can do', description, footer: { text: `Index built ${formatTimestamp(info.builtAt)}` } }] };
}

/** "2024-03-27 10:15 UTC" from an ISO time; the input unchanged when it is not one. */
export function formatTimestamp(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}
