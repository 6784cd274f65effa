import cliProgress from 'cli-progress';
import type { ReindexOptions, ReindexSummary } from '../index/index.js';

/** A progress bar on a terminal; nothing when output is piped (CI, --json). */
export function progressBar(enabled: boolean): { onProgress: ReindexOptions['onProgress']; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { onProgress: undefined, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: 'indexing [{bar}] {value}/{total} files {file}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: ({ done, total, file }) => {
      if (!started) {
        bar.start(total, done, { file });
        started = true;
      } else bar.update(done, { file });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** The reindex summary for people: counts, then each warning and skipped file with its reason, then each duplicate. */
export function formatSummary(summary: ReindexSummary): string {
  return [...summaryHead(summary), ...summaryNotes(summary), ...duplicateLines(summary)].join('\n');
}

function summaryHead(summary: ReindexSummary): string[] {
  return [
    `Indexed in ${summary.seconds.toFixed(2)} s: ${summary.added.length} added, ${summary.changed.length} changed, ${summary.removed.length} removed, ` +
      `${summary.unchanged} unchanged, ${summary.skipped.length} skipped; ${summary.passages} passages (${summary.embedded} embedded), ${summary.figures} figures.`,
  ];
}

function summaryNotes(summary: ReindexSummary): string[] {
  const lines: string[] = [];
  if (summary.passages === 0) lines.push('  warning: the index is empty — put .txt, .md, .html, .pdf or .docx files in the docs folder and reindex');
  for (const { file, warning } of summary.warnings) lines.push(`  warning: ${file}: ${warning}`);
  for (const { file, reason } of summary.skipped) lines.push(`  skipped: ${file}: ${reason}`);
  for (const file of summary.undated) lines.push(`  no date: ${file} (add "date" to ${file}.meta.json; "last year" in it stays unresolved)`);
  return lines;
}

function duplicateLines(summary: ReindexSummary): string[] {
  if (!summary.duplicates.length) return [];
  const count = summary.duplicates.length;
  return [
    `  ${count} ${count === 1 ? 'document is a copy' : 'documents are copies'} of another (cited as that one):`,
    ...summary.duplicates.map(({ file, copyOf }) => `  duplicate: ${file}: copy of ${copyOf}`),
  ];
}

/** Writes the summary to stderr (so stdout stays the command's answer); `quiet` keeps only warnings and skips. */
export function reportBuild(summary: ReindexSummary, { quiet }: { quiet: boolean }): void {
  const shown = quiet ? summaryNotes(summary).join('\n') : formatSummary(summary);
  if (shown) process.stderr.write(`${shown}\n`);
}
