import { describe, expect, it } from 'vitest';
import { findQuantities, sameQuantity } from '../src/figures/index.js';

const one = (text: string) => {
  const found = findQuantities(text);
  expect(found, text).toHaveLength(1);
  return found[0];
};

describe('findQuantities', () => {
  it('normalizes amounts written in English, Chinese and in full to the same value', () => {
    const english = one('reached 412.076 billion yuan');
    const chinese = one('达到4120.76亿元');
    const full = one('reached 412,076,000,000 yuan');
    for (const quantity of [english, chinese, full]) {
      expect(quantity).toMatchObject({ value: 412076000000, unit: 'CNY', kind: 'amount' });
    }
    expect(sameQuantity(english, chinese)).toBe(true);
    expect(sameQuantity(english, full)).toBe(true);
    expect(one('US$2.45 billion')).toMatchObject({ value: 2.45e9, unit: 'USD' });
    expect(one('€40 million')).toMatchObject({ value: 4e7, unit: 'EUR' });
    expect(one('1.2万亿元')).toMatchObject({ value: 1.2e12, unit: 'CNY' });
    expect(one('一亿二千万元')).toMatchObject({ value: 1.2e8, unit: 'CNY' });
  });

  it('reads percentages, growth, multiples and counts', () => {
    expect(sameQuantity(one('7.9%'), one('7.9 percent'))).toBe(true);
    expect(one('百分之三十')).toMatchObject({ value: 30, unit: '%', kind: 'percent' });
    expect(one('accounting for 38.86 percent of the total')).toMatchObject({ kind: 'percent' });
    expect(one('GDP increased by 7.9 percent year on year')).toMatchObject({ value: 7.9, kind: 'growth' });
    expect(one('同比增长30%')).toMatchObject({ value: 30, kind: 'growth' });
    expect(one('increased by 5.8 times')).toMatchObject({ value: 5.8, unit: '×', kind: 'multiple' });
    expect(one('a 3.5-fold rise')).toMatchObject({ value: 3.5, unit: '×' });
    expect(one('增长了三倍')).toMatchObject({ value: 3, unit: '×' });
    expect(one('its per capita GDP doubled')).toMatchObject({ value: 2, unit: '×' });
    expect(one('a total of 13 member centers')).toMatchObject({ value: 13, unit: '', kind: 'count' });
    expect(one('issued ten initiatives')).toMatchObject({ value: 10, kind: 'count' });
    expect(one('twenty-five new firms')).toMatchObject({ value: 25, kind: 'count' });
    expect(one('共有13个成员中心')).toMatchObject({ value: 13, kind: 'count' });
    expect(one('发布十项倡议')).toMatchObject({ value: 10, kind: 'count' });
  });

  it('ignores years, dates, times, references, phone numbers and URLs', () => {
    const text =
      'In 2021, on March 27, 2024 (2024-03-27) at 10:30, see Section 3.2.1 and Article 5, call +86 29 8888 1234 or 029-88881234, ' +
      'visit https://example.com/2023/report-5, 2023年3月27日, one of the parks, COVID-19, a one-stop service, 统一标准, 一个平台, three consecutive years.';
    expect(findQuantities(text)).toEqual([]);
  });

  it('lists every plain number on request, still skipping URLs and phone numbers', () => {
    const text = 'In 2021 the park had 13 firms; call +86 29 8888 1234 or see https://example.com/7.';
    expect(findQuantities(text, { allNumbers: true }).map((quantity) => quantity.value)).toEqual([2021, 13]);
  });

  it('reports where each quantity is', () => {
    const text = 'Exports rose 12% to $3 billion.';
    for (const quantity of findQuantities(text)) expect(text.slice(quantity.index, quantity.index + quantity.raw.length)).toBe(quantity.raw);
  });
});

describe('sameQuantity', () => {
  it('accepts a rounded mention and rejects a different number or unit', () => {
    const exact = one('412.076 billion yuan');
    expect(sameQuantity(exact, one('412.1 billion yuan'))).toBe(true);
    expect(sameQuantity(exact, one('413 billion yuan'))).toBe(false);
    expect(sameQuantity(exact, one('412.076 billion dollars'))).toBe(false);
    expect(sameQuantity(one('7.9%'), one('7.8%'))).toBe(false);
    expect(sameQuantity(one('13 member centers'), one('13 centres'))).toBe(true);
  });
});
