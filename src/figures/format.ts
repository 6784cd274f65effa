import type { Figure, FigureKind } from './types.js';

/** Text and JSON views of figures for `npm run figures` (and anything else that lists them). */

const TOPICS: Record<FigureKind, string> = {
  amount: 'Amounts',
  percent: 'Shares and percentages',
  growth: 'Growth rates',
  multiple: 'Multiples',
  count: 'Counts',
};
const TOPIC_ORDER: FigureKind[] = ['amount', 'growth', 'multiple', 'percent', 'count'];

export function toJson(figures: Figure[]): { figures: Figure[] } {
  return {
    figures: figures.map(({ id, label, raw, value, unit, kind, period, scope, quote, source, sources }) => ({
      id,
      label,
      raw,
      value,
      unit,
      kind,
      period,
      scope,
      quote,
      source,
      sources,
    })),
  };
}

/** One line: "contracted technology transactions: 412.076 billion yuan (2023; Shaanxi) [doc#3]". */
export function formatFigureLine(figure: Figure): string {
  const context = [figure.period, figure.scope].filter(Boolean).join('; ');
  return `${figure.label}: ${figure.raw}${context ? ` (${context})` : ''} [${figure.id}]`;
}

/** The whole catalog, grouped by document, then by topic (the kind of number). */
export function formatCatalog(figures: Figure[]): string {
  if (figures.length === 0) return 'No figures in the index.';
  const lines: string[] = [];
  const byDocument = groupBy(figures, (figure) => figure.source.id);
  for (const [, documentFigures] of byDocument) {
    const { title, date, id } = documentFigures[0].source;
    lines.push(`${title}${date ? ` (${date})` : ''} — ${id}: ${documentFigures.length} figures`);
    const byKind = groupBy(documentFigures, (figure) => figure.kind);
    for (const kind of TOPIC_ORDER) {
      const group = byKind.get(kind);
      if (!group) continue;
      lines.push(`  ${TOPICS[kind]}`);
      for (const figure of group) lines.push(`    ${formatFigureLine(figure)}`);
    }
    lines.push('');
  }
  lines.push(`${figures.length} figures in ${byDocument.size} documents.`);
  return lines.join('\n');
}

/** Search results, best first, each with the sentence it comes from. */
export function formatMatches(query: string, figures: Figure[]): string {
  if (figures.length === 0) return `No figure matches "${query}".`;
  return figures
    .map(
      (figure, rank) =>
        `${rank + 1}. ${formatFigureLine(figure)}\n   “${figure.quote}” — ${figure.source.title}${figure.source.date ? `, ${figure.source.date}` : ''}`,
    )
    .join('\n');
}

// Map.groupBy arrives in Node 21.
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
