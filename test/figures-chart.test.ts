import { describe, expect, it } from 'vitest';
import { chartable, renderSeriesChart, seriesChartSpec } from '../src/figures/chart.js';
import type { FigureSeries } from '../src/figures/index.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const contracts: FigureSeries = {
  label: 'contracted technology transactions',
  scope: 'Shaanxi',
  unit: 'CNY',
  kind: 'amount',
  points: [
    { period: '2022', value: 301.79e9, raw: '301.79 billion yuan', sources: ['report-2022.txt'], figureId: 'report-2022.txt#4' },
    { period: '2023', value: 412.076e9, raw: '412.076 billion yuan', sources: ['release-2024.txt', 'copy.html'], figureId: 'release-2024.txt#2' },
    // Another source disagrees on 2023: both points are charted.
    { period: '2023', value: 400e9, raw: '4000亿元', sources: ['other.txt'], figureId: 'other.txt#1' },
  ],
};

const spec = (series: FigureSeries) => seriesChartSpec(series) as any;

/** Width and height from a PNG's IHDR chunk (right after the signature and the chunk's length and type). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('seriesChartSpec', () => {
  it('charts the series points as they are, oldest first, with the measure and place as its title', () => {
    const chart = spec(contracts);
    expect(chart.data.values).toEqual(contracts.points.map(({ period, value, raw, sources }) => ({ period, value, raw, sources })));
    expect(chart.encoding.x).toMatchObject({ field: 'period', sort: null });
    expect(chart.title).toEqual({ text: 'contracted technology transactions', subtitle: 'Shaanxi' });
  });

  it('scales the values to a readable unit chosen from the largest', () => {
    expect(spec(contracts).encoding.y.title).toBe('billion yuan');
    expect(spec(contracts).transform).toEqual([{ calculate: 'datum.value / 1000000000', as: 'shown' }]);
    const small = { ...contracts, points: contracts.points.map((point) => ({ ...point, value: point.value / 1e4 })) };
    expect(spec(small).encoding.y.title).toBe('million yuan');
    const shares = { ...contracts, unit: '%', kind: 'percent' as const, points: contracts.points.map((point) => ({ ...point, value: 38.86 })) };
    expect(spec(shares).encoding.y.title).toBe('percent');
    expect(spec(shares).transform[0].calculate).toBe('datum.value / 1');
    const counts = { ...contracts, unit: '', kind: 'count' as const, points: contracts.points.map((point) => ({ ...point, value: 35_124 })) };
    expect(spec(counts).encoding.y.title).toBe('number');
    expect(spec({ ...contracts, scope: null }).title).toEqual({ text: 'contracted technology transactions' });
  });
});

describe('chartable', () => {
  it('needs two periods', () => {
    expect(chartable(contracts)).toBe(true);
    expect(chartable({ ...contracts, points: contracts.points.slice(1) })).toBe(false);
    expect(chartable({ ...contracts, points: contracts.points.slice(0, 1) })).toBe(false);
  });
});

describe('renderSeriesChart', () => {
  it('renders a PNG', async () => {
    const png = await renderSeriesChart(contracts);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
  });

  it('renders a Chinese label with the fonts the machine has', async () => {
    const png = await renderSeriesChart({ ...contracts, label: '技术合同成交额', scope: '陕西省' });
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png).width).toBeGreaterThan(0);
  });

  it('refuses a series of one period', async () => {
    await expect(renderSeriesChart({ ...contracts, points: contracts.points.slice(0, 1) })).rejects.toThrow(/two periods/);
  });
});
