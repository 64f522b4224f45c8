import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { looksOtherLanguage, otherLanguageWarning } from '../src/preflight/other-language.js';

// Both models read English. An export of German, French, Russian or Chinese reviews was scored exit 0, a label on every
// row and no word that the labels are guesses: the embedded model called 'Sehr gut verarbeitet, schnelle Lieferung.'
// NEGATIVE and 'Очень плохо, не рекомендую.' ("very bad, not recommended") POSITIVE (0.56).
describe('reviews in another language than English: said at start-up', () => {
  const { file, path: inDir } = useTempDir();

  it('tells other languages and scripts from English, names names and places in English reviews English', () => {
    for (const text of [
      'Sehr gut verarbeitet, schnelle Lieferung.',
      'Produit de mauvaise qualité, je suis déçu.',
      'Excelente producto, lo recomiendo.',
      'Prodotto molto buono, lo consiglio.',
      'Muito bom, chegou rápido.',
      'Niet goed, erg slecht geleverd.',
      'Очень плохо, не рекомендую.',
      'とても良い商品です。',
      '这个产品很好',
      'منتج رائع',
      // As docs/input-formats.md says: a short English review made mostly of such words, and mathematical-alphabet letters.
      'Gracias amigos, excelente service!',
      "Cafe du Monde beignets. C'est la vie.",
    ]) {
      expect(looksOtherLanguage(text), text).toBe(true);
    }
    for (const text of [
      'Great!',
      'Stayed near Las Vegas at the Hotel de Paris: the room was fine but the staff were rude.',
      'The AI is great, but the .com site is slow and it was down all day',
      'Die-hard fans will love it',
      'Loved the pollo con mole and the tres leches cake, muy bueno!',
      'Love it 😍😍😍',
      '5/5',
      '',
    ]) {
      expect(looksOtherLanguage(text), text).toBe(false);
    }
  });

  it('tells Latin-script languages by their letters, short reviews by one word, Han and kana among English words', () => {
    for (const text of [
      // Letters no English word has (ą ę ł ś ż, ğ ş ı, ơ ư ạ ả, ě ř ů): languages without a word list.
      'Świetna aplikacja, bardzo pomocna.',
      'Uygulama çok kullanışlı, herkese tavsiye ederim.',
      'Ứng dụng rất tốt, tôi thích nó.',
      'Aplikace je skvělá, doporučuji.',
      'Không tốt',
      // Short reviews in a listed language: one of its words and none of English's.
      'Muito bom o app',
      'Sehr gut!',
      'Très bien',
      // Han and kana each count as a word: a few English words among them do not make the text English.
      '这个app很好用',
      'app很好',
      'ChatGPT很好用，推荐',
      'ChatGPTの回答は速い',
      // Bold letters are read as the letters they stand for: bold German is German.
      '𝐒𝐞𝐡𝐫 𝐠𝐮𝐭 𝐯𝐞𝐫𝐚𝐫𝐛𝐞𝐢𝐭𝐞𝐭, 𝐬𝐜𝐡𝐧𝐞𝐥𝐥𝐞 𝐋𝐢𝐞𝐟𝐞𝐫𝐮𝐧𝐠.',
    ]) {
      expect(looksOtherLanguage(text), text).toBe(true);
    }
    for (const text of [
      // English in a font generator's bold or italic is English (said by its own warning: styled-letters.ts).
      '𝐆𝐫𝐞𝐚𝐭 𝐚𝐩𝐩',
      '𝘓𝘰𝘷𝘦 𝘪𝘵, 𝘵𝘩𝘦 𝘣𝘦𝘴𝘵 𝘢𝘱𝘱',
      // English naming a place or a composer with such letters, or quoting a word of Chinese.
      "Dvořák's symphony was great, and so was the hall.",
      'We drove the Škoda from Kraków to Łódź and the car was great',
      'Stayed at the Hotel İstanbul, the room was clean',
      "The app doesn't show 中文 properly",
      'We ordered the 麻婆豆腐 and 小笼包, both great',
      // Short English with a word that is also a listed one's neighbour.
      'Gut wrenching',
      'Bon appetit',
      'Great app',
      // Short English with one name in such letters and English words of a review beyond the commonest.
      'Amazing Škoda!',
      'Loved Tōkyō',
      'Đà Nẵng trip was fun',
    ]) {
      expect(looksOtherLanguage(text), text).toBe(false);
    }
  });

  it('warns when one text in ten or more looks so, naming how many and the first; fewer say nothing', () => {
    const german = 'Sehr gut verarbeitet, schnelle Lieferung.';
    const english = Array.from({ length: 9 }, (_, i) => `Review ${i}: the sound is great and the battery lasts.`);
    expect(otherLanguageWarning([german, ...english], "--text-column 'review'")).toBe(
      "--text-column 'review' looks written in another language than English in 1 of the first 10 texts ('Sehr gut verarbeitet, schnelle Lieferung.'): " +
        'both models read English only and label such a text from the few words it shares with English, often wrongly, though every row gets a ' +
        'label; translate those reviews before scoring, or leave them out of the figures (docs/input-formats.md#reviews-in-other-languages); ' +
        'to score a mixed-language export on purpose without this warning, run with --language-check off',
    );
    expect(otherLanguageWarning([german, ...english, 'One more English review here.'], "--text-column 'review'")).toBeUndefined();
    expect(otherLanguageWarning([...english, '', '  '], "--text-column 'review'")).toBeUndefined();
    expect(otherLanguageWarning([], "--text-column 'review'")).toBeUndefined();
  });

  it('score and estimate warn for a CSV column and a JSONL field; the rows are scored as before', async () => {
    const csv = file('de.csv', 'id,review\n1,"Sehr gut verarbeitet, schnelle Lieferung."\n2,"Leider nicht wie beschrieben, sehr schlecht."\n3,\n');
    const summaryPath = inDir('de.summary.json');
    const score = await runCli(['score', csv, '--text-column', 'review', '-o', inDir('de.scored.csv'), '--log-format', 'json', '--summary-json', summaryPath]);
    expect(score.code).toBe(0);
    // The summary ends with it too, and --summary-json holds it as its warning: a nightly check reads that, not the log.
    const warning = "--text-column 'review' looks written in another language than English in 2 of the first 2 texts ('Sehr gut verarbeitet, schnelle Lieferung.'): ";
    expect((JSON.parse(readFileSync(summaryPath, 'utf8')) as { warning?: string }).warning).toMatch(new RegExp(`^${warning.replace(/[().]/g, '\\$&')}`));
    expect(score.stdout).toMatch(/\n {2}--text-column 'review' looks written in another language than English in 2 of the first 2 texts/);
    // Its rerun, already done, says it again of the output the earlier run wrote.
    const again = await runCli(['score', csv, '--text-column', 'review', '-o', inDir('de.scored.csv'), '--summary-json', summaryPath]);
    expect(again.stdout).toMatch(/^Already done/);
    expect((JSON.parse(readFileSync(summaryPath, 'utf8')) as { status: string; warning?: string }).warning).toMatch(new RegExp(`^${warning.replace(/[().]/g, '\\$&')}`));
    expect(score.stderr).toMatch(
      /"level":40,[^\n]*"msg":"--text-column 'review' looks written in another language than English in 2 of the first 2 texts \('Sehr gut verarbeitet, schnelle Lieferung\.'\): /,
    );
    expect(score.stdout).toContain('rows 3: scored 2, skipped 1, failed 0');
    const jsonl = file('ru.jsonl', [{ id: 1, review: { body: 'Очень плохо, не рекомендую.' } }, { id: 2, review: { body: 'fine' } }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const estimate = await runCli(['estimate', jsonl, '--text-field', 'review.body']);
    expect(estimate.code).toBe(0);
    expect(estimate.stderr).toContain("--text-field 'review.body' looks written in another language than English in 1 of the first 2 texts ('Очень плохо, не рекомендую.')");
    // The English sample says nothing of language.
    const plain = await runCli(['score', 'fixtures/reviews.csv', '--text-column', 'review', '-o', inDir('reviews.scored.csv'), '--log-format', 'json']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain('another language');
    expect(plain.stdout).not.toContain('another language');
  });
});
