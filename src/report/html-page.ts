import { charts } from './html-charts.js';
import { RATING_VALUES_BESIDE } from './charts.js';
import { baseName, count, escapeHtml, figure, interval, percent, scoredRows, seconds } from './html-text.js';
import { beforeFreeNeurons, costAtMost } from '../wording/cost-at-most.js';
import type { Figures } from './figures.js';
import type { RunInfo } from './run-info.js';
import { STYLE } from './html-style.js';
import type { Example } from './top-texts.js';
import { changedSinceRunSentence, numberOnlyReportSentence, unreadAnswerSentences } from './unread-answers.js';
import { copyOfSentence } from './copy-words.js';
import { GENERATOR_META } from './generator-mark.js';
import { dayOrderHtml } from './mixed-day-order.js';
import { notScoredHtml } from './not-scored-why.js';
import { blankRowsSentence } from './blank-rows.js';
import { otherLanguageSentence } from './other-language.js';

/**
 * The self-contained page: inline CSS and inline SVG charts, no script, no external
 * URL; a Content-Security-Policy that forbids loading anything makes that a rule the
 * browser enforces, not only a habit of this code.
 */
export async function renderHtml(figures: Figures): Promise<string> {
  const svg = await charts(figures);
  const name = baseName(figures.input);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${GENERATOR_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Sentiment report — ${escapeHtml(name)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Sentiment report <span class="file">${escapeHtml(name)}</span></h1>
<p class="sub">model ${escapeHtml(figures.model ?? 'not recorded (no summary or checkpoint beside the file)')} · generated ${escapeHtml(figures.generatedAt.replace('T', ' ').slice(0, 16))} UTC</p>
</header>
${totalsSection(figures, figures.examples !== null)}
${section('histogram', 'How sure the model was', 'Rows by positive score. Scores near 0 or 1 are confident; the middle is where labels are a coin toss.', svg.histogram ?? NO_SCORED_ROWS)}
${groupSection(figures, svg.groups)}
${trendSection(figures, svg.trend)}
${ratingSection(figures, svg.rating)}
${figures.examples !== null ? examplesSection(figures.examples) : ''}
<footer>Written by sentiment-batch report. Intervals are 95 % Wilson score intervals of the positive share. Counts are rows; shares are of scored rows.</footer>
</main>
</body>
</html>
`;
}

/** `examples`: the page lists examples (not --examples 0). */
function totalsSection(figures: Figures, examples: boolean): string {
  const t = figures.totals;
  const card = (title: string, value: string, extra = '', cls = ''): string =>
    `<div class="card ${cls}"><div class="label">${title}</div><div class="value">${value}</div>${extra}</div>`;
  const codes = [...Object.entries(t.failedByCode).map(([c, n]) => ['failed', c, n] as const), ...Object.entries(t.skippedByCode).map(([c, n]) => ['skipped', c, n] as const)];
  const codeList = codes.length === 0 ? '' : `<p class="codes">${codes.map(([kind, code, n]) => `<span class="code ${kind}">${kind} · ${escapeHtml(code)}: ${figure(`totals.${kind}ByCode.${code}`, count(n))}</span>`).join(' ')}</p>`;
  return `<section class="totals" data-section="totals">
<div class="cards">
${card('positive share', figure('totals.positive.share', percent(t.positive.share)), `<div class="ci">95 % interval ${figure('totals.positive.interval', interval(t.positive.low, t.positive.high))}</div>`, 'main')}
${card('rows', figure('totals.rows', count(t.rows)))}
${card('scored', figure('totals.scored', count(t.scored)), `<div class="ci">${figure('totals.positive.positive', count(t.positive.positive))} positive<br>${figure('totals.negative', count(t.negative))} negative${t.truncated > 0 ? `<br>${figure('totals.truncated', count(t.truncated))} cut to the first 512 tokens` : ''}</div>`)}
${card('skipped', figure('totals.skipped', count(t.skipped)))}
${card('failed', figure('totals.failed', count(t.failed)), '', t.failed > 0 ? 'bad' : '')}
</div>
${codeList}
${notScoredHtml(figures.notScored, { failed: t.failedByCode, skipped: t.skippedByCode })}
${[copyOfSentence(figures), changedSinceRunSentence(figures), ...unreadAnswerSentences(figures), blankRowsSentence(figures), numberOnlyReportSentence(figures, examples), otherLanguageSentence(figures.otherLanguage), ...runWarningSentences(figures)].filter((sentence) => sentence !== undefined).map((sentence) => `<p class="note">${escapeHtml(sentence)}.</p>`).join('\n')}
${runLine(figures)}
</section>`;
}

/**
 * The lines the run ended with, from its summary (a header-only export's `the export had no rows: …`): the page read
 * alone says them too, one sentence each (a summary's `warning` holds each of its warnings on a line of its own).
 */
function runWarningSentences(figures: Figures): string[] {
  return figures.run?.warning === undefined ? [] : figures.run.warning.split('\n').filter((line) => line !== '').map((line) => `The run that wrote this file warned: ${line}`);
}

function runLine(figures: Figures): string {
  const run = figures.run;
  // A later run of the job (working, killed or stopped before completing its output) left these beside an earlier output.
  const aside = figures.runLeftAside === undefined ? '' : ` <span class="muted">(${escapeHtml(figures.runLeftAside.map(baseName).join(' and '))}: of a later run of the job that has not completed its output, not of this file)</span>`;
  if (run === null) {
    // Its figures so far would read as the job's: the sentence above says what the file is.
    if (figures.copyOf?.kind === 'unfinished') return '<p class="run">Run: not complete: requests, retries, cost and duration are given once it is.</p>';
    if (aside !== '') return `<p class="run">Run: requests, retries, cost and duration of the run that wrote this file unknown${aside}.</p>`;
    return '<p class="run">No summary JSON or checkpoint beside the file: requests, retries, cost and duration unknown.</p>';
  }
  const parts = [
    // The run's verdict, as its summary (with the exit code) or its checkpoint gives it: an exit-5 run is not `done`.
    `status ${figure('run.status', `${run.status ?? 'unknown'}${run.exitCode === null ? '' : ` (exit ${run.exitCode})`}`)}`,
    // A model on this machine: `requests 0 · retries 0 · cost at most $0.0000` bounded a cost it never has. Said as the run's summary says it.
    ...(run.offline
      ? ['offline, no requests, no cost']
      : [
          `requests ${figure('run.requests', count(run.requests))}`,
          `retries ${figure('run.retries', count(run.retries))}`,
          // As the summary line says it: read alone, the bound looked like the night's bill, nothing for most jobs.
          `cost at most ${figure('run.costUsd', costAtMost(run.costUsd))} ${beforeFreeNeurons()}`,
        ]),
    run.durationSeconds === null
      ? 'duration not recorded'
      : run.completedBy
        ? completedByWords(run, run.completedBy)
        : run.durationOfLastRunOnly
        ? `duration of its last run ${figure('run.durationSeconds', seconds(run.durationSeconds))} (${severalRuns(run)})`
        : `duration ${figure('run.durationSeconds', seconds(run.durationSeconds))}`,
  ];
  return `<p class="run">Run: ${parts.join(' · ')} <span class="muted">(from ${escapeHtml(baseName(run.source))})</span>${aside}</p>`;
}

/**
 * An "already done" rerun's summary: the duration of the run that completed the output, when it finished, and when the
 * output was found done again. Its own seconds (reading nothing) were all the page said of the run.
 */
function completedByWords(run: RunInfo, by: NonNullable<RunInfo['completedBy']>): string {
  const duration = figure('run.durationSeconds', seconds(run.durationSeconds ?? 0));
  const resumed = run.durationOfLastRunOnly ? `, its own run only (${severalRuns(run)})` : '';
  const again = by.recheckedAt === null ? 'found already done by this run' : `found already done again at ${figure('run.completedBy.recheckedAt', by.recheckedAt)}`;
  return `duration ${duration} (the run that completed the output, finished ${figure('run.completedBy.finishedAt', by.finishedAt)}${resumed}; ${again})`;
}

/** Said of a duration that is one run's of a job that took more: the requests, retries and cost beside it are the job's. */
function severalRuns(run: RunInfo): string {
  return `the job took several runs${run.offline ? '' : "; requests, retries and cost are the whole job's"}`;
}

/** What a chart or table of scored rows shows when the file has none (every row skipped or failed, or no row). */
const NO_SCORED_ROWS = '<p class="empty">No scored rows: nothing to show here.</p>';

function section(name: string, title: string, note: string, body: string): string {
  return `<section data-section="${name}"><h2>${title}</h2><p class="note">${note}</p>${body}</section>`;
}

function groupSection(figures: Figures, svg: string | undefined): string {
  const g = figures.groups;
  if (g === null) return '';
  const title = `Positive share by ${escapeHtml(g.column)}`;
  if (g.shown.length === 0) {
    const none = figures.totals.scored === 0 ? NO_SCORED_ROWS : `<p class="empty">No scored row has a value of <b>${escapeHtml(g.column)}</b>.</p>`;
    return section('groups', title, 'Positive share of the largest groups.', none);
  }
  const rows = g.shown
    .map((s, i) => `<tr><td dir="auto">${escapeHtml(s.group)}</td><td class="n">${figure(`groups.shown.${i}.rows`, count(s.rows))}</td><td class="n">${figure(`groups.shown.${i}.share`, percent(s.share))}</td><td class="n muted">${figure(`groups.shown.${i}.interval`, interval(s.low, s.high))}</td></tr>`)
    .join('\n');
  const notes = [
    `${count(g.distinct)} distinct values of <b>${escapeHtml(g.column)}</b>; the ${count(g.shown.length)} largest shown, lowest positive share first.`,
    g.notShownRows > 0 ? `${scoredRows(g.notShownRows)} in smaller groups not shown.` : '',
    g.overflow.rows > 0 ? `${scoredRows(g.overflow.rows)} with values first seen after the first ${count(g.distinct)} are counted together as other groups (${percent(g.overflow.share)} positive).` : '',
    g.missing > 0 ? `${scoredRows(g.missing, 'no value')}.` : '',
    g.idHint === undefined ? '' : `<b>${escapeHtml(g.idHint)}</b>.`,
  ].filter(Boolean);
  return section('groups', title, notes.join(' '), `${svg ?? ''}${table(['group', 'rows', 'positive', '95 % interval'], rows)}`);
}

function trendSection(figures: Figures, svg: string | undefined): string {
  const t = figures.trend;
  if (t === null) return '';
  const notes = [`Positive share per ${t.unit} of <b>${escapeHtml(t.column)}</b> (band: 95 % interval; dashed: whole file), rows per ${t.unit} below.`];
  const d = t.dayFirst;
  if (d !== undefined) {
    const which = d.notScored
      ? d.rows === 1 ? `1 row’s date not scored (skipped or failed), “${escapeHtml(d.example)}”,` : `${count(d.rows)} dates of rows not scored (skipped or failed), such as “${escapeHtml(d.example)}”,`
      : `${count(d.rows)} scored rows’ dates such as “${escapeHtml(d.example)}”`;
    notes.push(`Dates of two numbers are read day first (DD/MM/YYYY), as ${which} can only be read so, and none only month first.`);
  }
  const mixed = dayOrderHtml(t);
  if (mixed !== undefined) notes.push(mixed);
  if (t.missing > 0) notes.push(`${scoredRows(t.missing, 'no date')}.`);
  if (t.unreadable > 0) notes.push(`${scoredRows(t.unreadable, 'a date that could not be read')} (e.g. ${t.unreadableExamples.map((e) => `“${escapeHtml(e)}”`).join(', ')}).`);
  if (t.overCap > 0) notes.push(`${scoredRows(t.overCap, 'a date on a new day past the first 20,000 distinct days')}, not shown.`);
  const body = t.points.length === 0 ? (figures.totals.scored === 0 ? NO_SCORED_ROWS : '<p class="empty">No readable dates.</p>') : (svg ?? '');
  return section('trend', `Trend by ${t.unit}`, notes.join(' '), body);
}

function ratingSection(figures: Figures, svg: string | undefined): string {
  const r = figures.rating;
  if (r === null) return '';
  if (r.values.length === 0) {
    // Every readable rating of a scored row is listed until 20 values: none listed is none read. No callouts of '0 of 0', no empty table.
    const none = figures.totals.scored === 0 ? NO_SCORED_ROWS : `<p class="empty">No scored row has a readable rating in <b>${escapeHtml(r.column)}</b>.</p>`;
    return section('rating', 'Agreement with the star rating', `Positive share per value of <b>${escapeHtml(r.column)}</b>.`, none);
  }
  const callout = (title: string, name: string, m: { rows: number; of: number; share: number | null }): string =>
    `<div class="callout"><div class="value">${figure(`rating.${name}.share`, percent(m.share))}</div><div>${title}<br><span class="muted">${figure(`rating.${name}.rows`, count(m.rows))} of ${figure(`rating.${name}.of`, count(m.of))}</span></div></div>`;
  const rows = r.values
    .map((v, i) => `<tr><td>${figure(`rating.values.${i}.rating`, String(v.rating))} ★</td><td class="n">${figure(`rating.values.${i}.rows`, count(v.rows))}</td><td class="n">${figure(`rating.values.${i}.share`, percent(v.share))}</td><td class="n muted">${interval(v.low, v.high)}</td></tr>`)
    .join('\n');
  const notes = [`Positive share per value of <b>${escapeHtml(r.column)}</b>. Labels that contradict the stars point at sarcasm, mixed reviews or model mistakes.`];
  if (r.missing + r.unreadable > 0) notes.push(`${scoredRows(r.missing + r.unreadable, 'no readable rating')}.`);
  if (r.otherValues.rows > 0) {
    notes.push(
      `${scoredRows(r.otherValues.rows)} of other values, the least frequent, are not listed per value (${percent(r.otherValues.share)} positive), but count in the range${r.lowButPositive === null ? '' : ' and the comparison with the labels'}.`,
    );
  }
  const range = r.range === null ? '' : ` ratings run from ${figure('rating.range.lowest', String(r.range.lowest))} to ${figure('rating.range.highest', String(r.range.highest))},`;
  const callouts =
    r.lowButPositive === null || r.highButNegative === null
      ? `<p class="empty">Not a 1–5 star scale:${range} ${scoredRows(r.outsideOneToFive)} outside 1–5; so low (1–2 ★) and high (4–5 ★) reviews are not compared with the labels.</p>`
      : `${callout('of 1–2 ★ reviews labelled POSITIVE', 'lowButPositive', r.lowButPositive)}${callout('of 4–5 ★ reviews labelled NEGATIVE', 'highButNegative', r.highButNegative)}`;
  // A chart of many values takes the page's width, the callouts under it: in half the page it would be shrunk unreadable.
  const chart = r.values.length <= RATING_VALUES_BESIDE ? `<div class="split"><div>${svg ?? ''}</div><div class="callouts">${callouts}</div></div>` : `${svg ?? ''}<div class="callouts">${callouts}</div>`;
  const body = `${chart}${table(['stars', 'rows', 'positive', '95 % interval'], rows)}`;
  return section('rating', 'Agreement with the star rating', notes.join(' '), body);
}

/**
 * The examples each list shows open; the rest (up to --examples' 1,000) are folded under "N more", in the page all the
 * same (a search finds them). Listed open, `--examples 1000` made a page 106,105 px tall (2,000 items, 5,000 rows, Chromium at 1,280 px wide).
 */
const EXAMPLES_OPEN = 25;

/**
 * Omitted with --examples 0: its empty lists would say that no row is labelled NEGATIVE or POSITIVE.
 * Texts and group values (groupSection) take the direction of their first strong letter (dir="auto"): in the page's
 * left-to-right lines an Arabic or Hebrew review's closing "!" and its numbers were drawn at the wrong end.
 */
function examplesSection(examples: NonNullable<Figures['examples']>): string {
  const item = (kind: 'negative' | 'positive') => (e: Example, i: number) =>
    `<li><span class="score">${e.positive.toFixed(3)}</span> <span class="row">row ${count(e.row)}${e.rows > 1 ? ` · ${figure(`examples.${kind === 'negative' ? 'mostNegative' : 'mostPositive'}.${i}.rows`, count(e.rows))} rows have this text` : ''}${e.truncated === true ? ' · scored on its first 512 tokens' : ''}</span><q dir="auto">${escapeHtml(e.text)}</q></li>`;
  const list = (title: string, kind: 'negative' | 'positive', examples: Example[]): string => {
    if (examples.length === 0) return `<div class="examples ${kind}"><h3>${title}</h3><p class="empty">No scored row with a text is labelled ${kind.toUpperCase()}.</p></div>`;
    const items = examples.map(item(kind));
    const shown = items.slice(0, EXAMPLES_OPEN);
    const folded = items.slice(EXAMPLES_OPEN);
    const more = folded.length === 0 ? '' : `<details><summary>${count(folded.length)} more</summary><ol start="${EXAMPLES_OPEN + 1}">${folded.join('\n')}</ol></details>`;
    return `<div class="examples ${kind}"><h3>${title}</h3><ol>${shown.join('\n')}</ol>${more}</div>`;
  };
  return section(
    'examples',
    'The most negative and most positive reviews',
    'Rows labelled NEGATIVE by lowest positive score, rows labelled POSITIVE by highest; texts shortened; a text several rows have is listed once, with their number.',
    `<div class="split">${list('Most negative', 'negative', examples.mostNegative)}${list('Most positive', 'positive', examples.mostPositive)}</div>`,
  );
}


function table(headings: string[], rows: string): string {
  return `<table><thead><tr>${headings.map((h, i) => `<th${i > 0 ? ' class="n"' : ''}>${h}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
}
