import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/text/sentences.js';
import { queryTerms, termOfWord, tokenize, tokenizeDated } from '../src/text/tokenize.js';

describe('tokenize', () => {
  it('lower-cases, stems English word forms alike and drops stopwords', () => {
    expect(tokenize('The Transactions were transacted')).toEqual(['transact', 'transact']);
    expect(tokenize('Researchers researching')).toEqual(tokenize('researcher research'));
  });

  it('keeps decimals whole and drops thousands separators', () => {
    expect(tokenize('412.076 billion and 35,124 contracts')).toEqual(['412.076', 'billion', '35124', 'contract']);
  });

  it('cuts Chinese into words and overlapping character pairs', () => {
    const terms = tokenize('技术合同成交额');
    expect(terms).toEqual(expect.arrayContaining(['技术', '合同', '技术', '术合', '同成', '成交', '交额']));
  });

  it('matches full-width and half-width forms', () => {
    expect(tokenize('ＧＤＰ１２３')).toEqual(tokenize('GDP123'));
  });

  it('spells out the domain shorthand from its data file, so both forms meet', () => {
    expect(tokenize('Q1 YoY growth of SMEs in R&D')).toEqual(
      tokenize('first quarter year on year growth of small and medium-sized enterprises in research and development'),
    );
    expect(tokenize('H1 2023 tech firms')).toEqual(tokenize('first half 2023 technology firms'));
    expect(tokenize('its global HQ')).toEqual(tokenize('its global headquarters'));
    // One Chinese term of level (国家级, 省级), however the English renders it.
    expect(tokenize('23,000 State-level high-tech enterprises')).toEqual(tokenize('23,000 national high-tech enterprises'));
    expect(tokenize('provincial-level and city-level parks')).toEqual(tokenize('provincial and municipal parks'));
    // A word that merely contains a short form is left alone.
    expect(tokenize('iphone')).toEqual(['iphon']);
  });

  it('matches Traditional and Simplified Chinese as one', () => {
    expect(tokenize('科學技術成果轉化，臺灣的高新技術企業')).toEqual(tokenize('科学技术成果转化，台湾的高新技术企业'));
  });

  it('gives the term of one word as tokenize does, or none for a stopword or what is not one word', () => {
    expect(termOfWord('Firms')).toBe(tokenize('firms')[0]);
    expect(termOfWord('tech')).toBe(tokenize('technology')[0]);
    expect(termOfWord('u.s.')).toBe(tokenize('the U.S. economy')[0]);
    expect(['the', 'well-being', 'R&D', '技术', ','].map(termOfWord)).toEqual([null, null, null, null, null]);
  });

  it('gives distinct query terms in order', () => {
    expect(queryTerms('growth and growth of exports')).toEqual(['growth', 'export']);
  });

  it('adds the year a relative phrase points to, from the document date', () => {
    expect(tokenizeDated('Last year exports rose.', '2024-03-27')).toContain('2023');
    expect(tokenizeDated('去年出口增长。', '2024-03-27')).toContain('2023');
    expect(tokenizeDated('Last year exports rose.', null)).not.toContain('2023');
  });
});

describe('splitSentences', () => {
  it('splits English sentences without breaking decimals or abbreviations', () => {
    expect(splitSentences('Dr. Li said output rose 2.5 percent. The U.S. office agreed! Next?')).toEqual([
      'Dr. Li said output rose 2.5 percent.',
      'The U.S. office agreed!',
      'Next?',
    ]);
  });

  it('splits Chinese sentences at their end marks', () => {
    expect(splitSentences('今年出口增长。进口下降！为什么？')).toEqual(['今年出口增长。', '进口下降！', '为什么？']);
  });

  it('treats a line break as a boundary', () => {
    expect(splitSentences('# Heading\nBody text here.')).toEqual(['# Heading', 'Body text here.']);
  });
});
