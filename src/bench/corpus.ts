import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * A deterministic generator of policy-style documents (implementation plans, press releases and
 * statistical bulletins, about one in six in Chinese) with one distinctive fact per passage, and of
 * questions that paraphrase a fact so the passage that answers each is known. Same seed, same corpus.
 */

/** A question and how to recognise its right passage: from `docId`, containing `fact`. */
export interface BenchQuestion {
  question: string;
  docId: string;
  fact: string;
}

export interface GeneratedCorpus {
  /** Passages as written: one per paragraph, each sized for the splitter to keep it whole. */
  passages: number;
  documents: number;
  questions: BenchQuestion[];
  /** The document the incremental-reindex step edits, and its edited text. */
  change: { docId: string; text: string };
}

/** mulberry32: small, fast, and the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

/** Place-name syllables with their Chinese characters, combined in pairs (Fengdong / 沣东). */
const SYLLABLES: readonly [string, string][] = [
  ['Feng', '沣'],
  ['Dong', '东'],
  ['Qin', '秦'],
  ['Ling', '岭'],
  ['Xi', '西'],
  ['Han', '汉'],
  ['Jing', '泾'],
  ['He', '河'],
  ['Chang', '长'],
  ['An', '安'],
  ['Bao', '宝'],
  ['Lan', '蓝'],
  ['Tian', '田'],
  ['Wei', '渭'],
  ['Nan', '南'],
  ['Bei', '北'],
  ['Yang', '阳'],
  ['Ling', '陵'],
  ['Hua', '华'],
  ['Shan', '山'],
  ['Yan', '延'],
  ['Yu', '榆'],
  ['Lin', '林'],
  ['Zhou', '州'],
  ['Fu', '富'],
  ['Ping', '平'],
  ['Kang', '康'],
  ['Ning', '宁'],
  ['Gao', '高'],
  ['Xin', '新'],
  ['Jin', '金'],
  ['Shui', '水'],
  ['Long', '龙'],
  ['Quan', '泉'],
  ['Hu', '湖'],
  ['Cheng', '城'],
  ['Mei', '眉'],
  ['Tai', '泰'],
  ['Bai', '白'],
  ['Shi', '石'],
];

const SECTORS: readonly [string, string][] = [
  ['Hydrogen Energy', '氢能'],
  ['Photovoltaics', '光伏'],
  ['Biomedicine', '生物医药'],
  ['Integrated Circuits', '集成电路'],
  ['Aerospace', '航空航天'],
  ['New Materials', '新材料'],
  ['Intelligent Vehicles', '智能网联汽车'],
  ['Artificial Intelligence', '人工智能'],
  ['Quantum Technology', '量子科技'],
  ['Advanced Manufacturing', '先进制造'],
  ['Digital Economy', '数字经济'],
  ['Energy Storage', '储能'],
  ['Modern Agriculture', '现代农业'],
  ['Optoelectronics', '光电子'],
  ['Robotics', '机器人'],
  ['Medical Devices', '医疗器械'],
  ['Satellite Applications', '卫星应用'],
  ['Green Chemistry', '绿色化工'],
  ['Big Data', '大数据'],
  ['CNC Machine Tools', '数控机床'],
];

const INSTITUTIONS: readonly [string, string][] = [
  ['Pilot Zone', '试验区'],
  ['Industrial Park', '产业园'],
  ['Innovation Center', '创新中心'],
  ['Incubator', '孵化器'],
  ['Technology Fund', '科技基金'],
  ['Research Institute', '研究院'],
  ['High-tech Zone', '高新区'],
  ['Accelerator', '加速器'],
  ['Demonstration Base', '示范基地'],
  ['Engineering Laboratory', '工程实验室'],
  ['Science Park', '科技园'],
  ['Service Platform', '服务平台'],
];

const SURNAMES = [
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Yang',
  'Zhao',
  'Huang',
  'Zhou',
  'Wu',
  'Xu',
  'Sun',
  'Hu',
  'Zhu',
  'Gao',
  'Lin',
  'He',
  'Guo',
  'Ma',
  'Luo',
];
const GIVEN = [
  'Wenhua',
  'Lihua',
  'Jianguo',
  'Xiaoming',
  'Haiyan',
  'Zhiqiang',
  'Yufei',
  'Minghui',
  'Shuang',
  'Jing',
  'Lei',
  'Hongmei',
  'Dawei',
  'Qian',
  'Yong',
  'Xin',
  'Ruoxi',
  'Tao',
  'Kai',
  'Yan',
];
const SURNAMES_ZH = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN_ZH = ['文华', '丽华', '建国', '晓明', '海燕', '志强', '雨菲', '明辉', '爽', '静', '磊', '红梅', '大伟', '倩', '勇', '欣', '若曦', '涛', '凯', '艳'];

interface Entity {
  en: string;
  zh: string;
  sector: [string, string];
  place: [string, string];
}

function entity(random: Random): Entity {
  const a = pick(random, SYLLABLES);
  let b = pick(random, SYLLABLES);
  while (b === a) b = pick(random, SYLLABLES);
  const place: [string, string] = [a[0] + b[0].toLowerCase(), a[1] + b[1]];
  const sector = pick(random, SECTORS);
  const institution = pick(random, INSTITUTIONS);
  return { en: `${place[0]} ${sector[0]} ${institution[0]}`, zh: `${place[1]}${sector[1]}${institution[1]}`, sector, place };
}

/** `count` different indexes below `size`. */
function distinct(random: Random, size: number, count: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, size)) chosen.add(Math.floor(random() * size));
  return [...chosen];
}

const money = (random: Random): string => `${between(random, 1, 999)}.${between(random, 10, 99)}`;
const percent = (random: Random): string => `${between(random, 1, 68)}.${between(random, 1, 9)}`;

/** A fact sentence and a question that asks for it in other words. */
interface Fact {
  sentence: string;
  question: string;
}

const ENGLISH_FACTS: ((random: Random, e: Entity, year: number) => Fact)[] = [
  (random, e, year) => {
    const firms = between(random, 12, 480);
    return {
      sentence: `In ${year}, the ${e.en} attracted ${firms} new enterprises with combined registered capital of ${money(random)} million yuan.`,
      question: `How many new enterprises did the ${e.en} attract in ${year}?`,
    };
  },
  (random, e, year) => ({
    sentence: `The ${e.en} disbursed ${money(random)} million yuan in ${year} to ${between(random, 5, 160)} projects selected through open competition.`,
    question: `How much money did the ${e.en} pay out to projects in ${year}?`,
  }),
  (random, e, year) => ({
    sentence: `Research and development spending at the ${e.en} reached ${percent(random)} percent of its output value in ${year}, up ${percent(random)} points from the previous year.`,
    question: `What share of output value went to R&D spending at the ${e.en} in ${year}?`,
  }),
  (random, e, year) => ({
    sentence: `Technology contracts registered by the ${e.en} numbered ${between(random, 40, 9000).toLocaleString('en-US')} in ${year}, with a turnover of ${money(random)} million yuan.`,
    question: `What was the turnover of technology contracts registered by the ${e.en} in ${year}?`,
  }),
  (random, e, year) => {
    const person = `${pick(random, SURNAMES)} ${pick(random, GIVEN)}`;
    return {
      sentence: `${person} was appointed director of the ${e.en} in ${year} and leads its work on ${e.sector[0].toLowerCase()}.`,
      question: `Who was named director of the ${e.en} in ${year}?`,
    };
  },
  (random, e, year) => ({
    sentence: `Enterprises in the ${e.en} were granted ${between(random, 30, 7000).toLocaleString('en-US')} invention patents in ${year}, of which ${between(random, 3, 90)} percent were filed by small and medium-sized firms.`,
    question: `How many invention patents were granted to enterprises in the ${e.en} in ${year}?`,
  }),
];

const CHINESE_FACTS: ((random: Random, e: Entity, year: number) => Fact)[] = [
  (random, e, year) => ({
    sentence: `${year}年，${e.zh}新引进企业${between(random, 12, 480)}家，注册资本合计${money(random)}亿元。`,
    question: `${year}年${e.zh}新引进了多少家企业？`,
  }),
  (random, e, year) => ({
    sentence: `${year}年${e.zh}累计拨付资金${money(random)}万元，支持项目${between(random, 5, 160)}个。`,
    question: `${e.zh}${year}年拨付了多少资金？`,
  }),
  (random, e, year) => ({
    sentence: `${year}年，${e.zh}技术合同成交额达到${money(random)}亿元，同比增长${percent(random)}%。`,
    question: `${year}年${e.zh}的技术合同成交额是多少？`,
  }),
  (random, e, year) => ({
    sentence: `${year}年，${pick(random, SURNAMES_ZH)}${pick(random, GIVEN_ZH)}被任命为${e.zh}主任，负责${e.sector[1]}领域的创新工作。`,
    question: `${year}年谁被任命为${e.zh}主任？`,
  }),
];

const ENGLISH_FILLER: ((random: Random, e: Entity) => string)[] = [
  (_r, e) => `The ${e.place[0]} authorities will strengthen the integration of the innovation chain and the industrial chain in ${e.sector[0].toLowerCase()}.`,
  () => `Eligible enterprises may apply for subsidies covering up to 30 percent of their research equipment costs, subject to annual review.`,
  (_r, e) =>
    `Universities and research institutes in ${e.place[0]} are encouraged to transfer their research achievements to local firms through licensing and equity participation.`,
  () => `The plan calls for a one-stop service window that handles registration, intellectual property filing and talent visas within five working days.`,
  (random) =>
    `By ${between(random, 2025, 2030)}, the province aims to cultivate a group of leading enterprises with independent intellectual property and international competitiveness.`,
  (_r, e) => `Local finance departments will coordinate special funds for ${e.sector[0].toLowerCase()} and guide social capital toward early-stage projects.`,
  () => `Progress will be evaluated every half year, and the results will be published on the department's website.`,
  (_r, e) => `Officials said the ${e.place[0]} model of "research plus incubation plus industrial funds" has shortened the path from laboratory to market.`,
  () => `Talent programmes will offer housing support, children's schooling and research start-up grants to high-level scientists and engineers.`,
  (random) =>
    `Pilot measures introduced in ${between(random, 2018, 2022)} allow researchers to hold long-term ownership of the results of their publicly funded work.`,
  () => `The committee will also improve the statistics of technology markets and share data on contracts, patents and venture investment.`,
  (_r, e) =>
    `Demonstration projects in ${e.sector[0].toLowerCase()} will be opened to private companies on equal terms, and procurement will favour innovative products.`,
];

const CHINESE_FILLER: ((random: Random, e: Entity) => string)[] = [
  (_r, e) => `${e.place[1]}将持续深化科技体制改革，推动创新链产业链资金链人才链深度融合。`,
  () => `符合条件的企业可按研发设备投入的百分之三十申请补贴，并接受年度评估。`,
  (_r, e) => `鼓励高校和科研院所通过许可、作价入股等方式向${e.place[1]}企业转化科技成果。`,
  () => `各有关部门要加强统筹协调，建立半年评估机制，及时公开实施进展。`,
  (_r, e) => `围绕${e.sector[1]}产业，引导社会资本投向早期项目，培育一批具有核心竞争力的领军企业。`,
  () => `对高层次人才在住房、子女入学和科研启动经费等方面给予支持。`,
];

const PLAN_SECTIONS = [
  'General Objectives',
  'Key Tasks',
  'Support Measures',
  'Talent and Finance',
  'Organisation and Implementation',
  'Monitoring and Evaluation',
];
const PLAN_SECTIONS_ZH = ['总体目标', '重点任务', '支持措施', '人才与金融', '组织实施', '监测评估'];

/** Filler sentences around a passage's fact, few enough to stay under the splitter's passage size. */
const MAX_FILLER_SENTENCES = 4;

interface GeneratedDocument {
  id: string;
  text: string;
  passages: { fact: Fact; text: string }[];
}

function generateDocument(random: Random, index: number, passageCount: number): GeneratedDocument {
  const chinese = random() < 0.16;
  const kind = pick(random, ['plan', 'press', 'bulletin'] as const);
  const year = between(random, 2018, 2025);
  const date = `${year}-${String(between(random, 1, 12)).padStart(2, '0')}-${String(between(random, 1, 28)).padStart(2, '0')}`;
  const subject = entity(random);
  const title = chinese
    ? {
        plan: `${subject.place[1]}关于促进${subject.sector[1]}创新发展的实施方案`,
        press: `${subject.place[1]}${subject.sector[1]}产业创新发展取得新进展`,
        bulletin: `${subject.place[1]}${year - 1}年科技创新统计公报`,
      }[kind]
    : {
        plan: `${subject.place[0]} Implementation Plan for Promoting ${subject.sector[0]} Innovation (${year}-${year + 2})`,
        press: `${subject.place[0]} reports new progress in ${subject.sector[0].toLowerCase()} innovation`,
        bulletin: `${subject.place[0]} Statistical Bulletin on Science and Technology, ${year - 1}`,
      }[kind];
  const publisher = chinese ? `${subject.place[1]}科学技术局` : `${subject.place[0]} Department of Science and Technology`;
  const sections = kind === 'press' ? 1 : Math.min(PLAN_SECTIONS.length, Math.max(2, Math.ceil(passageCount / 5)));

  const passages: GeneratedDocument['passages'] = [];
  const lines: string[] = ['---', `title: "${title}"`, `date: ${date}`, `publisher: "${publisher}"`, `language: ${chinese ? 'zh' : 'en'}`, '---', ''];
  for (let p = 0; p < passageCount; p++) {
    const section = Math.floor((p * sections) / passageCount);
    if (kind !== 'press' && (p === 0 || section !== Math.floor(((p - 1) * sections) / passageCount))) {
      lines.push(`# ${section + 1}. ${chinese ? PLAN_SECTIONS_ZH[section] : PLAN_SECTIONS[section]}`, '');
    }
    const about = random() < 0.5 ? subject : entity(random);
    const factYear = between(random, year - 4, year);
    const fact = pick(random, chinese ? CHINESE_FACTS : ENGLISH_FACTS)(random, about, factYear);
    const filler = chinese ? CHINESE_FILLER : ENGLISH_FILLER;
    const sentences = distinct(random, filler.length, between(random, 1, MAX_FILLER_SENTENCES)).map((i) => filler[i](random, about));
    sentences.splice(between(random, 0, sentences.length), 0, fact.sentence);
    // Some English passages quote the Chinese original of a name, as bilingual releases do.
    if (!chinese && random() < 0.2) sentences.push(`(${about.zh})`);
    const text = sentences.join(chinese ? '' : ' ');
    passages.push({ fact, text });
    lines.push(text, '');
  }
  const slug = `${subject.place[0].toLowerCase()}-${subject.sector[0].toLowerCase().replace(/[^a-z]+/g, '-')}-${kind}`;
  return { id: `${String(index).padStart(5, '0')}-${slug}-${date}.md`, text: lines.join('\n'), passages };
}

/**
 * Writes documents totalling about `passages` passages into `docsDir` and returns `questionCount`
 * questions spread evenly over them.
 */
export async function generateCorpus(docsDir: string, options: { passages: number; questions: number; seed?: number }): Promise<GeneratedCorpus> {
  const random = seededRandom(options.seed ?? 20240327);
  await fs.mkdir(docsDir, { recursive: true });
  const documents: GeneratedDocument[] = [];
  let total = 0;
  while (total < options.passages) {
    const count = Math.min(between(random, 8, 40), options.passages - total);
    const doc = generateDocument(random, documents.length, count);
    documents.push(doc);
    total += count;
  }
  for (let start = 0; start < documents.length; start += 64) {
    await Promise.all(documents.slice(start, start + 64).map((doc) => fs.writeFile(path.join(docsDir, doc.id), doc.text)));
  }

  const all = documents.flatMap((doc) => doc.passages.map((passage) => ({ doc, passage })));
  const questions: BenchQuestion[] = [];
  const step = all.length / Math.max(1, options.questions);
  for (let i = 0; i < Math.min(options.questions, all.length); i++) {
    const { doc, passage } = all[Math.min(all.length - 1, Math.floor(i * step + random() * step))];
    questions.push({ question: passage.fact.question, docId: doc.id, fact: passage.fact.sentence });
  }

  // The edit: one more paragraph in a document that no question points at, as a revised release would add.
  const asked = new Set(questions.map((q) => q.docId));
  const edited = documents.find((doc, i) => i >= documents.length / 2 && !asked.has(doc.id)) ?? documents[documents.length - 1];
  const extra = generateDocument(seededRandom(7), 0, 1).passages[0].text;
  return { passages: total, documents: documents.length, questions, change: { docId: edited.id, text: `${edited.text}\n${extra}\n` } };
}
