/**
 * A fictional press release in three copies, as republishing sites carry it, and the same agency's
 * release of the year before on the same topic (written for the tests; no real agency or figures).
 *
 * - `plain`: the agency's own text, with a sidecar naming title, date, url and publisher (the canonical copy);
 * - `html`: reformatted as an HTML page with site navigation, a share bar and a footer around it;
 * - `reworded`: a Markdown republication that rewrites a few sentences and adds its own boilerplate;
 * - `previousYear`: the 2023 release of the same bureau on the same statistics (same template, other figures).
 */

export const RELEASE_TITLE = 'Riverbend technology market sets a record in 2024';

const LEAD =
  'RIVERBEND, January 15, 2025 -- The Riverbend Municipal Bureau of Science and Technology said on Wednesday that the city signed 18,420 technology contracts in 2024.';
const TURNOVER =
  'The contracts were worth 96.3 billion yuan in total, up 21.4 percent year on year, and for the first time more than half of the turnover came from contracts between universities and local manufacturers.';
const SOFTWARE =
  'Technology services and software development made up the largest share of the market, followed by the transfer of patents on new materials and medical devices.';
const FUND =
  'A municipal fund of 1.2 billion yuan paid for the first trials of 340 technologies developed in local laboratories, and the bureau plans to open four more technology transfer centers in the river port district.';
const QUOTE = 'Lin Haiyan, director of the bureau, said that the city will keep lowering the cost of turning research results into products for small firms.';
const SMALL_FIRMS =
  'Small and medium-sized enterprises signed 11,200 of the contracts, and the average contract took 38 days from first meeting to signature, down from 52 days the year before.';
const TRAINING = 'The bureau trained 1,560 technology brokers during the year and certified 210 of them as senior technology managers.';
const ABOUT =
  'About the bureau: the Riverbend Municipal Bureau of Science and Technology is responsible for the science and technology policy of the city, its research programs and the registration of technology contracts.';

const BODY = [LEAD, TURNOVER, SOFTWARE, FUND, QUOTE, SMALL_FIRMS, TRAINING];

export const releaseFiles = {
  plain: {
    name: 'riverbend-tech-market-2024-2025-01-15.txt',
    files: {
      'riverbend-tech-market-2024-2025-01-15.txt': [RELEASE_TITLE, '', ...BODY.flatMap((sentence) => [sentence, '']), ABOUT].join('\n'),
      'riverbend-tech-market-2024-2025-01-15.txt.meta.json': JSON.stringify({
        title: RELEASE_TITLE,
        date: '2025-01-15',
        url: 'https://kjj.riverbend.example/news/2025/0115.html',
        publisher: 'Riverbend Municipal Bureau of Science and Technology',
      }),
    },
  },
  html: {
    name: 'portal/riverbend-record-contracts.html',
    files: {
      'portal/riverbend-record-contracts.html': `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Riverbend Technology Market Sets a Record in 2024 - Eastern Business Portal</title>
<link rel="canonical" href="https://portal.example.com/business/riverbend-record-contracts">
</head>
<body>
<div class="menu"><a href="/">Home</a> | <a href="/business">Business</a> | <a href="/tech">Technology</a> | <a href="/markets">Markets</a> | <a href="/opinion">Opinion</a></div>
<div class="crumbs">You are here: Home &gt; Business &gt; Regional</div>
<h1>Riverbend Technology Market Sets a Record in 2024</h1>
<p class="byline">Staff reporter | Updated 16 Jan 2025 08:10</p>
${BODY.map((sentence) => `<p>${sentence}</p>`).join('\n')}
<div class="share">Share this story: Facebook | X | LinkedIn | Email | Print</div>
<div class="related">Related stories: Port district opens new logistics hub | Spring trade fair draws record crowds | What the new metro line means for commuters</div>
<div class="legal">Copyright 2025 Eastern Business Portal. All rights reserved. Reproduction without written permission is prohibited.</div>
</body>
</html>
`,
    },
  },
  reworded: {
    name: 'newswire/riverbend-contracts.md',
    files: {
      'newswire/riverbend-contracts.md': [
        '---',
        'title: "Riverbend signs a record number of technology contracts"',
        'date: 2025-01-16',
        '---',
        '**Newswire Daily** | Science & Industry | Subscribe to our morning briefing',
        '',
        // The lead and the director's words rewritten, the turnover sentence reworded in places, the rest as the bureau wrote it.
        'Riverbend signed a record 18,420 technology contracts last year, the city science and technology bureau announced on Wednesday in its annual market review.',
        '',
        'The contracts were worth 96.3 billion yuan in total, 21.4 percent more than a year earlier, and for the first time over half of the turnover came from contracts between universities and local manufacturers.',
        '',
        SOFTWARE,
        '',
        FUND,
        '',
        'Bureau director Lin Haiyan said the city would continue to reduce the cost for small firms of turning research results into products.',
        '',
        SMALL_FIRMS,
        '',
        TRAINING,
        '',
        '*Newswire Daily republishes releases from city governments across the region. Send corrections to the regional desk.*',
      ].join('\n'),
    },
  },
  previousYear: {
    name: 'riverbend-tech-market-2023-2024-01-17.txt',
    files: {
      'riverbend-tech-market-2023-2024-01-17.txt': [
        'Riverbend technology market grows in 2023',
        '',
        'RIVERBEND, January 17, 2024 -- The Riverbend Municipal Bureau of Science and Technology said on Wednesday that the city signed 15,030 technology contracts in 2023.',
        '',
        'The contracts were worth 79.3 billion yuan in total, up 12.8 percent year on year, and contracts between universities and local manufacturers made up 46 percent of the turnover.',
        '',
        'Technology services and software development made up the largest share of the market, followed by energy-saving equipment and agricultural machinery.',
        '',
        'A municipal fund of 800 million yuan paid for the first trials of 210 technologies developed in local laboratories, and two technology transfer centers opened in the high-tech park.',
        '',
        'Lin Haiyan, director of the bureau, said that faster registration of contracts and new rules on sharing patent income would help researchers work with companies.',
        '',
        'Small and medium-sized enterprises signed 8,900 of the contracts, and the bureau trained 1,120 technology brokers during the year.',
        '',
        ABOUT,
      ].join('\n'),
      'riverbend-tech-market-2023-2024-01-17.txt.meta.json': JSON.stringify({
        title: 'Riverbend technology market grows in 2023',
        date: '2024-01-17',
        url: 'https://kjj.riverbend.example/news/2024/0117.html',
        publisher: 'Riverbend Municipal Bureau of Science and Technology',
      }),
    },
  },
} as const;

export type ReleaseCopy = keyof typeof releaseFiles;

/** The files of the given copies (relative path -> content). */
export function releases(...copies: ReleaseCopy[]): Record<string, string> {
  return Object.assign({}, ...copies.map((copy) => releaseFiles[copy].files)) as Record<string, string>;
}
