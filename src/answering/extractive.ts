import {
  conceptsOf,
  hasAlternative,
  isDictionaryWord,
  liesWithin,
  namesConcept,
  termsOfAlternative,
  withNearTerms,
  type Concept,
} from '../meaning/concepts.js';
import { questionLanguage } from '../meaning/language.js';
import { isFragment } from '../text/fragments.js';
import { LIST_ITEM, splitSentences } from '../text/sentences.js';
import { tokenize, tokenizeDated } from '../text/tokenize.js';
import hedges from '../../data/text/question-hedges.json' with { type: 'json' };
import tuning from '../../data/tuning/concepts.json' with { type: 'json' };
import { answerTypeCues, countContexts, detectAnswerType, fitsAnswerType, statesAnswer, type AnswerType } from './answer-type.js';
import { questionAttribute } from './attribute.js';
import { mergeRepeatedQuotes, quoteKey } from './citations.js';
import { REFUSAL_TEXT, type AnswerContext, type AnswerDraft, type Answerer, type Citation, type RelatedQuote, type RetrievedPassage } from './types.js';

/** A title in Chinese title marks, and the state's name that a law's full title starts with (《中华人民共和国专利法》 is 专利法). */
const NAMED_TITLE = /《([^》]{2,40})》/gu;
const STATE_NAME = /^中华人民共和国/u;

/**
 * Calibrated on the development eval sets (answerable and out-of-scope questions, three corpora),
 * never per question: the share of the question's weighted terms that the best passage must
 * contain, and that a quoted sentence (with its section heading) must contain.
 */
const MIN_PASSAGE_COVERAGE = 0.5;
const MIN_SENTENCE_COVERAGE = 0.3;
/**
 * How many of a question's terms (by weight) its coverage is measured against. Tuned on the even lines of the
 * dev sets (6, 8, 10 tried: 8 and 10 best there, 6 lost a near-miss refusal); the odd lines gained as much.
 */
const FOCUS_TERMS = 8;
/** A further sentence is quoted when it scores this close to the best one and adds a question term. */
const FOLLOWER_RATIO = 0.8;
/** ... or, when it stands next to the best one in the same passage, this close. */
const NEIGHBOUR_RATIO = 0.6;
const NEAR_TIE_RATIO = 0.93;
/** What a sentence of the kind of answer asked (a number, a duration) gains over one of another kind. */
const TYPE_BONUS = 0.1;
const MAX_SENTENCES = 3;
/** A refusal points to at most this many related sentences, each holding this share of the question's weight. */
const MAX_RELATED = 2;
const MIN_RELATED_COVERAGE = 0.5;
const MIN_RELATED_TERMS = 2;
const MAX_LIST_ITEMS = 12;
/** A clause is quoted with the rest of its sentence when the whole is no longer than this (about two lines of a Discord message). */
const MAX_QUOTE_CHARS = 200;
const PASSAGES_READ = 8;
/** Credit for a question term met only through a shared prefix (tech/technology). */
const PREFIX_CREDIT = 0.6;
/** Credit for a question term met only in the sentence before. */
const CONTEXT_CREDIT = 0.5;

interface Candidate {
  passage: RetrievedPassage;
  /** The passage's sentences, as read once (a quote may take its neighbours: a list, a lead-in, the rest of a sentence). */
  sentences: string[];
  rank: number;
  /** Position of the sentence in its passage. */
  position: number;
  sentence: string;
  matched: Set<string>;
  coverage: number;
  score: number;
}

/** Matching words across languages works for English and Chinese only; any other language would match look-alikes. */
const OTHER_LANGUAGE_TEXT = "I couldn't find this in the indexed documents: I can read questions in English or Chinese only.";

const YEAR = /\b(?:19|20)\d{2}\b/g;
/** Whether a text states a year (YEAR, without its global state). */
const STATES_YEAR = /\b(?:19|20)\d{2}\b/;
const HAN = /\p{Script=Han}/u;
const TABLE_ROW = /\S\s*\|\s*\S/;
const ARTICLE_START = /^第[一二三四五六七八九十百零\d]+[条章节]/u;

/**
 * The offline answerer: quotes the sentences of the best passages that answer the question, each
 * with its citation marker, or says plainly that the documents do not answer it.
 */
export class ExtractiveAnswerer implements Answerer {
  async answer(context: AnswerContext): Promise<AnswerDraft> {
    const language = questionLanguage(context.question, context.meaning ?? null, context.corpus);
    if (language === 'other') {
      return { answer: OTHER_LANGUAGE_TEXT, refused: true, mode: 'extractive', citations: [], related: [] };
    }
    const readPassages = context.passages.slice(0, PASSAGES_READ).map(readPassage);
    // The words the passages use for the question's (near-synonyms, by WordNet and word vectors) count as alternatives.
    const vocabulary = readPassages.flatMap(({ sentenceTerms }) => sentenceTerms.flatMap((terms) => [...terms]));
    const weighted = questionWeights(context);
    const nearTerms = withNearTerms(
      weighted.map(({ concept }) => concept),
      vocabulary,
      context.meaning ?? null,
    );
    const weights = weighted.map((entry, i) => ({ ...entry, concept: nearTerms[i] }));
    const total = focusWeight(weights);
    // A passage in English cannot hold a Chinese question's character pairs: those with no translation do not count against it.
    const forEnglish = {
      weighted: weighted.filter(({ concept }) => !onlyInChinese(concept, weighted)),
      weights: weights.filter(({ concept }) => !onlyInChinese(concept, weighted)),
    };
    const totalForEnglish = focusWeight(forEnglish.weights);
    // The words in which documents state the kind of answer asked (a duration's 期限) add to a passage's coverage when it has
    // them, and do not count against it when it has not: they are not what the question asks about.
    const answerType = detectAnswerType(context.question);
    for (const cue of cueWeights(answerType, context)) {
      weighted.push(cue);
      weights.push(cue);
      if (!HAN.test(cue.concept.term)) {
        forEnglish.weighted.push(cue);
        forEnglish.weights.push(cue);
      }
    }
    // A name may be met in the other language (Hubei, 湖北) or by a synonym.
    const names = namedConcepts(context.question, weights, context);
    const places = weights.filter(({ concept }) => concept.place).map(({ concept }) => concept);
    // A rule of a province holds in its cities: a question naming both ("在广州办展会，按广东的规定") is answered by the
    // province's document. A figure of a province is not its city's: a question asking for one needs the city's.
    const dictionary = context.meaning?.dictionary;
    const placesToName =
      answerType === 'number' || answerType === 'count' || !dictionary
        ? places
        : places.filter((inner) => !places.some((outer) => outer !== inner && liesWithin(inner, outer, dictionary)));
    const placesAsked = new Set(places.flatMap(({ term, alternatives }) => [term, ...[...alternatives.keys()].flatMap(termsOfAlternative)]));
    const inDocument = (docId: string, concept: Concept) => namesConcept(concept, { has: (term) => context.corpus.documentHas(docId, term) });
    if (total === 0 || names.some((name) => unknownWord(name, context))) return refusal();
    // A figure asked of one thing (收费标准) is not answered by a passage that never names it, however close its other words.
    const attribute = questionAttribute(focusText(context.question)).map((word) => attributeConcept(word, weights, context));
    const years = context.question.match(YEAR) ?? [];
    // A document named by its title (《广东省科技创新条例》) is what must answer: a passage of another document does not.
    const titlesNamed = [...context.question.matchAll(NAMED_TITLE)].map((match) => match[1].replace(STATE_NAME, ''));

    const candidates: Candidate[] = [];
    // What the passages say about the question's subject, for a refusal to point to (never quoted as the answer).
    const related: Candidate[] = [];
    let answeringPassages = 0;
    readPassages.forEach(({ passage, sentences, sentenceTerms, passageTerms, titleTerms }, rank) => {
      // A passage about another year, or from a document that never names what the question names, does not
      // answer it (a document dated in the year asked about counts as being about it, and so does a passage that names
      // no year in a document that names the one asked). A passage about another place
      // does not answer a question about this one; one that names no place is about its document's ("the
      // province"), which must name the place asked about.
      // What the question asks for is named by a passage in its own language word for word; in the other language by one
      // of its words that the dictionary translates at least, since a translation of each need not be the word the
      // document uses (provincial: 省份, not 省级).
      const chinese = HAN.test(passage.text);
      // A passage that names no year is about its document's ("the number reached 3,141" in a release about 2019).
      const namesYear = STATES_YEAR.test(passage.text);
      const sameLanguage = chinese === (language === 'zh');
      const namesAttribute = (concept: Concept) => termCredit(concept, passageTerms) > 0;
      const translated = attribute.filter(({ alternatives }) => alternatives.size > 0);
      const answersAsked =
        (sameLanguage ? attribute.every(namesAttribute) : translated.length === 0 || translated.some(namesAttribute)) &&
        !years.some(
          (year) => !passageTerms.has(year) && !passage.meta.date?.startsWith(year) && (namesYear || !context.corpus.documentHas(passage.docId, year)),
        ) &&
        !names.some((name) => termCredit(name, passageTerms) === 0 && !inDocument(passage.docId, name)) &&
        titlesNamed.every((title) => passage.meta.title.includes(title) || passage.text.includes(title)) &&
        !placesToName.some(
          (place) => termCredit(place, passageTerms) === 0 && (namesPlace(context, passageTerms, placesAsked) || !inDocument(passage.docId, place)),
        );
      // Whether the passage answers at all is judged on the question's words as written, translated or synonymous: a near
      // word ("output" for "revenue") only helps choose among its sentences (with it, must-refuse items were answered).
      const scored = chinese ? { weighted, weights, total } : { ...forEnglish, total: totalForEnglish };
      const passageCoverage = coverage(scored.weighted, passageTerms, scored.total).coverage;
      // A Chinese passage meets an English question only through translations, each earning less than the word itself:
      // the share it must hold is lowered by as much (the credit ranks a passage in the question's own language first).
      // An English passage is already measured against a Chinese question's translatable terms only.
      const required = MIN_PASSAGE_COVERAGE * (chinese && language === 'en' ? tuning.translationCredit : 1);
      const answers = answersAsked && passageCoverage >= required;
      if (answers) answeringPassages++;
      let closest: Candidate | null = null;
      sentences.forEach((sentence, position) => {
        const { coverage: sentenceCoverage, matched } = coverage(scored.weights, sentenceTerms[position], scored.total, {
          before: sentenceTerms[position - 1],
          subject: titleTerms,
        });
        // Headlines, crumbs and pieces of a sentence are not quoted; a list item is (with its list).
        if (isTitleLine(passage, sentence, position) || (isFragment(sentence) && !LIST_ITEM.test(sentence))) return;
        const fits = fitsAnswerType(sentence, answerType);
        // A sentence that states the answer outright (期限为二十年) counts as fitting the kind asked twice over.
        const typeBonus = fits && answerType !== 'other' ? TYPE_BONUS * (statesAnswer(sentence, answerType) ? 2 : 1) : 0;
        const score = 0.65 * sentenceCoverage + 0.35 * passageCoverage + typeBonus - (fits ? 0 : 0.2) - 0.02 * rank;
        const candidate = { passage, sentences, rank, position, sentence, matched, coverage: sentenceCoverage, score };
        // A sentence that states another year than the one asked is about that year, whatever its document's date.
        const otherYear = years.length > 0 && STATES_YEAR.test(sentence) && !years.some((year) => sentenceTerms[position].has(year));
        if (answers && !otherYear) candidates.push(candidate);
        if (!closest || candidate.coverage > closest.coverage) closest = candidate;
      });
      if (closest) related.push(closest);
    });
    const refuse = () => refusalWith(relatedQuotes(related));
    if (answeringPassages === 0) return refuse();

    // A question asking for a number is answered only by a sentence that has one.
    // A count is of what the question counts: a number near the head of the phrase it asks for (its last word: "how
    // many technology contracts" counts contracts), in either language. A table row's numbers are named by its header.
    const counted = attribute.at(-1);
    const countsAsked = (c: Candidate) =>
      !counted || TABLE_ROW.test(c.sentence) || countContexts(c.sentence).some((around) => termCredit(counted, new Set(tokenize(around))) > 0);
    const eligible =
      answerType === 'number' || answerType === 'count'
        ? candidates.filter((c) => fitsAnswerType(c.sentence, answerType) && (answerType === 'number' || countsAsked(c)))
        : candidates;
    eligible.sort((a, b) => b.score - a.score);
    // A release is quoted from its canonical copy when that copy's sentence does about as well.
    const copyOf = eligible[0]?.passage.copyOf;
    const canonical = copyOf ? eligible.find((c) => c.passage.docId === copyOf && c.score >= eligible[0].score * NEAR_TIE_RATIO) : undefined;
    if (canonical) {
      eligible.splice(eligible.indexOf(canonical), 1);
      eligible.unshift(canonical);
    }
    const best = eligible[0];
    if (!best || best.coverage < MIN_SENTENCE_COVERAGE) return refuse();

    const chosen = [best];
    const covered = new Set(best.matched);
    const quotedWith = (c: Candidate, other: Candidate) =>
      other.passage.id === c.passage.id && other.position > c.position && other.position <= restOfSentence(c).end;
    for (const candidate of eligible.slice(1)) {
      if (chosen.length >= MAX_SENTENCES) break;
      // A clause quoted with the one before it (its sentence's rest) is not quoted again.
      if (chosen.some((c) => quotedWith(c, candidate))) continue;
      const neighbour = candidate.passage.id === best.passage.id && Math.abs(candidate.position - best.position) === 1;
      if (candidate.score < best.score * (neighbour ? NEIGHBOUR_RATIO : FOLLOWER_RATIO)) continue;
      // A near tie from another passage is shown too: the user sees both readings (a result and a target, say).
      const nearTie = candidate.passage.id !== best.passage.id && candidate.score >= best.score * NEAR_TIE_RATIO;
      const addsTerm = [...candidate.matched].some((term) => !covered.has(term));
      if (!(addsTerm || nearTie)) continue;
      // The same sentence is not quoted twice, and a release is quoted from one of its copies (the citation names the others).
      if (chosen.some((c) => quoteKey(c.sentence) === quoteKey(candidate.sentence) || otherCopy(c.passage, candidate.passage))) continue;
      chosen.push(candidate);
      candidate.matched.forEach((term) => covered.add(term));
    }

    const quoted: Citation[] = chosen.map((candidate, i) => ({
      n: i + 1,
      source: candidate.passage.docId,
      title: candidate.passage.meta.title,
      url: candidate.passage.meta.url,
      date: candidate.passage.meta.date,
      language: candidate.passage.meta.language,
      // A question about a list ("which measures…") gets the list; one asking for a number or name, the item.
      quote: (answerType === 'other' ? listAround(candidate) : null) ?? restOfSentence(candidate).quote,
      score: round(candidate.score),
      also: candidate.passage.also ?? [],
    }));
    // A list quoted whole may hold a sentence quoted on its own: one citation.
    const { citations } = mergeRepeatedQuotes(quoted);
    const answer = joinCited(citations);
    return { answer, refused: false, mode: 'extractive', citations };
  }
}

interface ReadPassage {
  passage: RetrievedPassage;
  sentences: string[];
  /** Each sentence's terms, with its section heading's. */
  sentenceTerms: Set<string>[];
  /** Its sentences' terms (heading included) and its document's title and date. */
  passageTerms: Set<string>;
  /** Its document's title's terms. */
  titleTerms: Set<string>;
}

/**
 * A passage cut into sentences and terms, once for all the answerer reads of it. The document's date is part of
 * what a passage is about: "the December 2020 report" names it.
 */
function readPassage(passage: RetrievedPassage): ReadPassage {
  const headingTerms = tokenize(passage.heading ?? '');
  const sentences = splitSentences(passage.text);
  const sentenceTerms = sentences.map((sentence) => new Set([...tokenizeDated(sentence, passage.meta.date), ...headingTerms]));
  const titleTerms = new Set(tokenize(passage.meta.title));
  const passageTerms = new Set([
    ...tokenizeDated(`${passage.meta.title}\n${dateWords(passage.meta.date)}`, passage.meta.date),
    ...headingTerms,
    ...sentenceTerms.flatMap((terms) => [...terms]),
  ]);
  return { passage, sentences, sentenceTerms, passageTerms, titleTerms };
}

/** Whether two passages come from two copies of one release (different documents of one group). */
function otherCopy(a: RetrievedPassage, b: RetrievedPassage): boolean {
  return a.docId !== b.docId && (a.also ?? []).some((copy) => copy.source === b.docId);
}

/**
 * The weight a question's coverage is measured against: that of its most telling terms, its focus. A long
 * colloquial question ("公司把我做出来的发明拿去申请了专利…") has many terms, most of them incidental; they add
 * to a sentence's coverage when it has them but do not count against it when it has not.
 */
function focusWeight(weights: WeightedConcept[]): number {
  return weights
    .map(({ weight }) => weight)
    .sort((a, b) => b - a)
    .slice(0, FOCUS_TERMS)
    .reduce((sum, weight) => sum + weight, 0);
}

export function refusal(): AnswerDraft {
  return refusalWith([]);
}

function refusalWith(related: RelatedQuote[]): AnswerDraft {
  return { answer: REFUSAL_TEXT, refused: true, mode: 'extractive', citations: [], related };
}

/**
 * The sentences a refusal points to: from different documents, each the closest its passage has to the question,
 * when it has at least the share of the question's weight that an answer needs of its passage.
 */
function relatedQuotes(related: Candidate[]): RelatedQuote[] {
  const quotes: RelatedQuote[] = [];
  for (const candidate of related.sort((a, b) => b.coverage - a.coverage)) {
    if (quotes.length >= MAX_RELATED || candidate.coverage < MIN_RELATED_COVERAGE) break;
    // One word in common ("the city") is no sign of being about the question.
    if (candidate.matched.size < MIN_RELATED_TERMS) continue;
    if (quotes.some((quote) => quote.source === candidate.passage.docId)) continue;
    const { docId, meta } = candidate.passage;
    quotes.push({ source: docId, title: meta.title, date: meta.date, language: meta.language, quote: itemWithLeadIn(candidate) });
  }
  return quotes;
}

/**
 * What only a Chinese text can have: a character pair that is no word and has no translation, or an untranslated word
 * made of another of the question's words (输出额 of 输出), which says nothing more to an English text than that word.
 */
function onlyInChinese(concept: Concept, question: WeightedConcept[]): boolean {
  if (!HAN.test(concept.term) || concept.alternatives.size > 0) return false;
  return !concept.word || question.some(({ concept: other }) => other.word && other.term !== concept.term && concept.term.includes(other.term));
}

interface WeightedConcept {
  concept: Concept;
  weight: number;
}

/**
 * Each question concept weighs its term's inverse document frequency, or, for a term the corpus lacks but says
 * otherwise (a translation, a synonym), that of its commonest alternative. Single Chinese characters, and
 * character pairs the corpus lacks in every form, are left out: they are mostly cuts across word boundaries, not
 * content; a Chinese dictionary word the corpus lacks is kept (the question asks about something it does not
 * have). With a follow-up, the terms carried over from the conversation weigh half: they set the subject, the new
 * question says what is asked.
 */
function questionWeights(context: AnswerContext): WeightedConcept[] {
  const weights = new Map<string, WeightedConcept>();
  const absent = new Set<string>();
  const add = (question: string, factor: number) => {
    for (const concept of conceptsOf(focusText(question), context.meaning ?? null, context.corpus, { senses: true })) {
      const { term } = concept;
      if (weights.has(term) || /^\p{Script=Han}$/u.test(term) || isCutPair(concept)) continue;
      let idf = termsOfAlternative(term).every((t) => context.corpus.has(t)) ? alternativeIdf(context, term) : Infinity;
      for (const alternative of concept.alternatives.keys()) idf = Math.min(idf, alternativeIdf(context, alternative));
      if (idf === Infinity || !context.corpus.has(term)) for (const sense of concept.senses ?? []) idf = Math.min(idf, alternativeIdf(context, sense));
      if (idf === Infinity) {
        if (/^\p{Script=Han}{2,}$/u.test(term) && !(concept.word && context.meaning && isDictionaryWord(context.meaning.dictionary, term))) continue;
        idf = context.corpus.idf(term);
        absent.add(term);
      }
      weights.set(term, { concept, weight: idf * factor });
    }
  };
  add(context.question, 1);
  if (context.standaloneQuestion !== context.question) add(context.standaloneQuestion, 0.5);
  // A word the corpus lacks in every form says the question may be about something else, but it weighs no more than the
  // question's most telling word the corpus has: at the rarest term's weight, one word the dictionary cannot translate
  // ("venture", "taxable") outweighed everything a long question shares with its answer.
  const present = [...weights.values()].filter(({ concept }) => !absent.has(concept.term)).map(({ weight }) => weight);
  const cap = present.length ? Math.max(...present) * tuning.absentWordCap : Infinity;
  return [...weights.values()].map((entry) => (absent.has(entry.concept.term) ? { ...entry, weight: Math.min(entry.weight, cap) } : entry));
}

/** The answer type's cue words the corpus has, each a concept weighing its rarity. */
function cueWeights(answerType: AnswerType, context: AnswerContext): WeightedConcept[] {
  return answerTypeCues(answerType)
    .filter((cue) => termsOfAlternative(cue).every((term) => context.corpus.has(term)))
    .map((cue) => ({ concept: { term: cue, alternatives: new Map(), place: false, word: true }, weight: alternativeIdf(context, cue) }));
}

/** A word of what the question asks for, as the question's concept of it (with its synonyms, near words and translations). */
function attributeConcept(word: string, weights: WeightedConcept[], context: AnswerContext): Concept {
  const term = HAN.test(word) ? word : (tokenize(word)[0] ?? word);
  const known = weights.find(({ concept }) => concept.term === term || concept.term === word)?.concept;
  if (known) return known;
  const concepts = conceptsOf(word, context.meaning ?? null, context.corpus);
  return concepts.find((concept) => concept.term === word) ?? { term: word, alternatives: new Map(), place: false };
}

/**
 * A Chinese character pair that is no word of the question as segmented: a cut across two words (广州办: 州办) or a piece
 * of a longer word (知识产权: 识产), which the word's own concept already weighs.
 */
function isCutPair({ term, word }: Concept): boolean {
  return !word && HAN.test(term);
}

/**
 * The concepts of the names a question asks about. A word of a longer name that the corpus lacks in every form is
 * left out when the name has others ("Anti-" in "Anti-Unfair Competition Law", 反不正当竞争法: the dictionary
 * translates the name, not the prefix); a name that is all such words leaves its words in, to be refused.
 */
function namedConcepts(question: string, weights: WeightedConcept[], context: AnswerContext): Concept[] {
  return namedPhrases(question).flatMap((phrase) => {
    const concepts = [...new Set(phrase)].map(
      (term) => weights.find(({ concept }) => concept.term === term)?.concept ?? { term, alternatives: new Map(), place: false },
    );
    const known = concepts.filter((concept) => !unknownWord(concept, context));
    return known.length ? known : concepts;
  });
}

/** A term the corpus lacks, with no translation or synonym it has. */
function unknownWord({ term, alternatives }: Concept, context: AnswerContext): boolean {
  return !context.corpus.has(term) && alternatives.size === 0;
}

/** Whether a passage names a place other than those asked about (their terms in either language). */
function namesPlace(context: AnswerContext, passageTerms: Set<string>, placesAsked: Set<string>): boolean {
  const dictionary = context.meaning?.dictionary;
  if (!dictionary) return false;
  for (const term of passageTerms) if (!placesAsked.has(term) && dictionary.isPlaceTerm(term)) return true;
  return false;
}

/** How telling an alternative is: a phrase's or a long Chinese word's terms on average (one rare cut across words does not make it rare). */
function alternativeIdf(context: AnswerContext, alternative: string): number {
  if (context.corpus.has(alternative)) return context.corpus.idf(alternative);
  const terms = termsOfAlternative(alternative);
  return terms.reduce((sum, term) => sum + context.corpus.idf(term), 0) / terms.length;
}

/** Hedges ("roughly", "so far", "大概", "目前"): how a question is put, not what it asks about (data/text/question-hedges.json). */
const HEDGES = new RegExp([...hedges.english.map((phrase) => `\\b${phrase.replace(/ /g, '\\s+')}\\b`), ...hedges.chinese].join('|'), 'giu');

/**
 * The question as its focus is weighed: without its hedges, and with "how large", "how fast" as "how" (the adjective
 * asks for a measure; it is not what the answer is about).
 */
function focusText(question: string): string {
  return question.replace(/\bhow\s+(large|big|high|fast|long|often|far|old|quickly|small|low)\b/gi, 'how').replace(HEDGES, ' ');
}

/**
 * The names an English question asks about: its capitalized words (not its first word, not a month's: that is a
 * period), run together into phrases ("Anti-Unfair Competition Law"), each as its index terms.
 */
function namedPhrases(question: string): string[][] {
  const phrases: string[][] = [];
  let phrase: string[] = [];
  const words = question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*|[^\s\p{L}\p{N}]+/gu) ?? [];
  words.forEach((word, i) => {
    if (i > 0 && /^\p{Lu}/u.test(word) && !MONTH_NAMES.has(word.toLowerCase().slice(0, 3))) {
      phrase.push(...tokenize(word));
      return;
    }
    if (phrase.length) phrases.push(phrase);
    phrase = [];
  });
  if (phrase.length) phrases.push(phrase);
  return phrases;
}

/**
 * Weighted share of question terms present, with partial credit for synonyms and shared prefixes, and
 * for terms found only in the context (the sentence before, which a "The first prize went to…" continues).
 * A place its document's title names is what each of its sentences is about ("经济增长6％左右" in Hubei's report).
 */
function coverage(
  weights: WeightedConcept[],
  terms: Set<string>,
  total: number,
  context: { before?: Set<string>; subject?: Set<string> } = {},
): { coverage: number; matched: Set<string> } {
  let sum = 0;
  const matched = new Set<string>();
  for (const { concept, weight } of weights) {
    const credit = Math.max(
      termCredit(concept, terms),
      context.before ? CONTEXT_CREDIT * termCredit(concept, context.before) : 0,
      concept.place && context.subject ? termCredit(concept, context.subject) : 0,
    );
    if (credit > 0) {
      sum += credit * weight;
      matched.add(concept.term);
    }
  }
  return { coverage: Math.min(1, sum / total), matched };
}

/** 1 for the term itself, its credit for an alternative (a synonym, a translation), less for a shared prefix. */
function termCredit({ term, alternatives }: Concept, terms: Set<string>): number {
  if (hasAlternative(terms, term)) return 1;
  let best = 0;
  for (const [alternative, credit] of alternatives) if (credit > best && hasAlternative(terms, alternative)) best = credit;
  if (best > 0) return best;
  if (term.length >= 4 && [...terms].some((t) => t.length >= 4 && (t.startsWith(term) || term.startsWith(t)))) return PREFIX_CREDIT;
  return 0;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_NAMES = new Set(MONTHS.map((month) => month.slice(0, 3).toLowerCase()));

/** A document date's year and month as words ("2020 December Dec"). */
function dateWords(date: string | null): string {
  const match = /^(\d{4})-(\d{2})/.exec(date ?? '');
  if (!match) return '';
  const month = MONTHS[Number(match[2]) - 1] ?? '';
  return `${match[1]} ${month} ${month.slice(0, 3)}`;
}

/** A document's title repeated as its first line says nothing a citation's title does not. */
function isTitleLine(passage: RetrievedPassage, sentence: string, position: number): boolean {
  return position === 0 && sentence.startsWith(passage.meta.title) && sentence.length <= passage.meta.title.length + 40;
}

/**
 * A list item, or the line that introduces a list, quoted with the whole list (lead-in and items);
 * null for a sentence that is neither.
 */
function listAround(candidate: Candidate): string | null {
  const { sentences } = candidate;
  const introducesList = /[:：]$/.test(candidate.sentence) && LIST_ITEM.test(sentences[candidate.position + 1] ?? '');
  if (!introducesList && !LIST_ITEM.test(candidate.sentence)) return null;
  let start = introducesList ? candidate.position + 1 : candidate.position;
  while (start > 0 && LIST_ITEM.test(sentences[start - 1])) start--;
  let end = candidate.position;
  while (end + 1 < sentences.length && LIST_ITEM.test(sentences[end + 1]) && end - start + 1 < MAX_LIST_ITEMS) end++;
  const leadIn = start > 0 && /[:：]$/.test(sentences[start - 1]) ? `${sentences[start - 1]} ` : '';
  const items = sentences.slice(start, end + 1).map((item) => item.replace(LIST_ITEM, '').replace(/[;；,，.。]$/, ''));
  const chinese = /\p{Script=Han}/u.test(items.join(''));
  return leadIn + items.join(chinese ? '；' : '; ') + (chinese ? '。' : '.');
}

/**
 * A sentence, or a list item without its marker; an item that continues its lead-in ("The plan includes:" …
 * "setting up a fund…") is quoted with the lead-in, so that the quote reads as a sentence.
 */
function itemWithLeadIn(candidate: Candidate): string {
  const item = candidate.sentence.replace(LIST_ITEM, '');
  if (item === candidate.sentence || !/^\p{Ll}/u.test(item)) return item;
  const { sentences } = candidate;
  let start = candidate.position;
  while (start > 0 && LIST_ITEM.test(sentences[start - 1])) start--;
  const leadIn = start > 0 && /[:：]$/.test(sentences[start - 1]) ? sentences[start - 1] : null;
  return leadIn ? `${leadIn} ${item}` : item;
}

/**
 * A clause that ends in "；" (a Chinese sentence's inner stop, where the splitter cuts) quoted with the rest of its
 * sentence, when that is not a list item and the whole fits in MAX_QUOTE_CHARS: "…给予奖励；" reads as cut off.
 */
function restOfSentence(candidate: Candidate): { quote: string; end: number } {
  const quote = itemWithLeadIn(candidate);
  if (!quote.endsWith('；') || LIST_ITEM.test(candidate.sentence)) return { quote, end: candidate.position };
  const { sentences } = candidate;
  let whole = quote;
  let end = candidate.position;
  while (whole.endsWith('；') && end + 1 < sentences.length && !LIST_ITEM.test(sentences[end + 1]) && !ARTICLE_START.test(sentences[end + 1])) {
    whole += sentences[++end];
  }
  return /[。！？]$/.test(whole) && whole.length <= MAX_QUOTE_CHARS ? { quote: whole, end } : { quote, end: candidate.position };
}

/** The quotes with their markers; Chinese text takes no spaces between them. */
export function joinCited(citations: Citation[]): string {
  const chinese = (text: string) => /\p{Script=Han}/u.test(text) && /[\p{Script=Han}。！？；：，、」』）》]$/u.test(text);
  return citations
    .map((citation, i) => `${i > 0 && !chinese(citations[i - 1].quote) ? ' ' : ''}${citation.quote}${chinese(citation.quote) ? '' : ' '}[${citation.n}]`)
    .join('');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
