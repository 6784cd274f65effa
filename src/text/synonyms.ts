import { stemmer } from 'stemmer';

/**
 * Words that questions and policy documents use interchangeably for the same statistic or event.
 * General vocabulary of the domain, not of any one document; used to widen a question's terms.
 */
const GROUPS = [
  'increase grow growth rise rose climb expand gain up',
  'decrease decline fall fell drop shrink reduce down',
  'launch start begin establish initiate found open set',
  'company firm enterprise business',
  'people visitor attendee participant person',
  'say said speak spoke state remark',
  'end close closing final',
  'share proportion percentage percent portion ratio',
  'amount volume value total turnover sum',
  'fund funding budget finance money',
  'win winner prize award',
  'goal target aim objective',
  'university college',
  'attend visit drew draw',
];

const SYNONYMS = new Map<string, string[]>();
for (const group of GROUPS) {
  const stems = [...new Set(group.split(' ').map((word) => stemmer(word)))];
  for (const stem of stems) SYNONYMS.set(stem, [...new Set([...(SYNONYMS.get(stem) ?? []), ...stems.filter((other) => other !== stem)])]);
}

/** Other index terms that mean the same as `term` in this domain (empty for most terms). */
export function synonymsOf(term: string): string[] {
  return SYNONYMS.get(term) ?? [];
}
