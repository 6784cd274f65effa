import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../src/answering/checks.js';
import { passage, samplePassage } from './support/llm-fixtures.js';

const transactions = samplePassage(1, '412.076 billion yuan');
const gdp = samplePassage(2, '7.9 percent');
const reforms = samplePassage(3, 'piloted three reforms');

describe('checkAnswer: numbers', () => {
  it.each([
    '412.076 billion yuan',
    '4120.76亿元',
    '412,076,000,000 yuan',
    'RMB 412.076 billion',
    '412.076 billion',
    '412.1 billion yuan', // rounded to the digits written: within half the last place
  ])('accepts %s for a source that says 412.076 billion yuan', (stated) => {
    const checked = checkAnswer(`Transactions reached ${stated} [1].`, [transactions]);
    expect(checked.unsupportedNumbers).toEqual([]);
  });

  it.each(['412.67 billion yuan', '412.076 million yuan', '412.076 billion dollars', '50 billion yuan'])('rejects %s', (stated) => {
    const checked = checkAnswer(`Transactions reached ${stated} [1].`, [transactions]);
    expect(checked.unsupportedNumbers).toEqual([stated]);
  });

  it('treats 7.9% and 7.9 percent as one number, but not 7.9 percentage points', () => {
    expect(checkAnswer('GDP grew 7.9% [1].', [gdp]).unsupportedNumbers).toEqual([]);
    expect(checkAnswer('GDP增长7.9％[1]。', [gdp]).unsupportedNumbers).toEqual([]);
    expect(checkAnswer('GDP grew 7.9 percentage points [1].', [gdp]).unsupportedNumbers).toEqual(['7.9 percentage points']);
  });

  it('checks counts written in words and years', () => {
    expect(checkAnswer('In 2022 Shaanxi piloted three reforms [1].', [reforms]).unsupportedNumbers).toEqual([]);
    expect(checkAnswer('In 2019 Shaanxi piloted four reforms [1].', [reforms]).unsupportedNumbers).toEqual(['2019', 'four']);
  });

  it("lets an answer name its source's date and title", () => {
    const checked = checkAnswer('A release of March 27, 2024 [1] reports 412.076 billion yuan [1].', [transactions]);
    expect(checked.unsupportedNumbers).toEqual([]);
  });

  it('ignores citation markers and list numbering, but not numbers cited to nothing', () => {
    const listed = checkAnswer('Two figures:\n1. 412.076 billion yuan [1]\n2. 7.9 percent growth [2]', [transactions, gdp]);
    expect(listed.unsupportedNumbers).toEqual([]);
    const uncited = checkAnswer('GDP grew 7.9 percent.', [gdp]);
    expect(uncited.citations).toEqual([]);
    expect(uncited.unsupportedNumbers).toEqual(['7.9 percent']);
  });
});

describe('checkAnswer: citations', () => {
  const a = passage(1, 'a.md', 'Alpha is a policy. It funds labs.');
  const b = passage(2, 'b.md', 'Beta is a program. It trains engineers.');
  const c = passage(3, 'c.md', 'Gamma is a fund.');

  it('normalizes marker styles, renumbers by first use and drops markers to no passage', () => {
    const checked = checkAnswer('Gamma is a fund [3, 1]. Beta trains engineers【2】 [9]. Alpha funds labs [0][1-2].', [a, b, c]);
    expect(checked.text).toBe('Gamma is a fund [1][2]. Beta trains engineers[3]. Alpha funds labs [2][3].');
    expect(checked.citations.map((citation) => citation.source)).toEqual(['c.md', 'a.md', 'b.md']);
    expect(checked.citations.map((citation) => citation.n)).toEqual([1, 2, 3]);
    expect(checked.danglingMarkers.sort()).toEqual([0, 9]);
  });

  it('lists only cited passages and quotes the sentence that supports the claim', () => {
    const checked = checkAnswer('Alpha funds labs [2].', [b, a, c]);
    expect(checked.citations).toHaveLength(1);
    expect(checked.citations[0]).toMatchObject({ n: 1, source: 'a.md', quote: 'It funds labs.' });
  });

  it('gives a marker that opens a sentence to the sentence before it', () => {
    const checked = checkAnswer('Beta trains engineers.[1] Gamma is a fund. [2] 阿尔法资助实验室。[3]', [b, c, a]);
    expect(checked.citations.map((citation) => citation.quote)).toEqual(['It trains engineers.', 'Gamma is a fund.', 'Alpha is a policy.']);
  });

  it('quotes the sentence holding the cited number', () => {
    const checked = checkAnswer('Local contracts made up 50.38 percent of the total [1].', [transactions]);
    expect(checked.citations[0].quote).toContain('50.38 percent');
    expect(checked.citations[0].quote).not.toContain('three consecutive years');
  });
});
