/**
 * Reviews written in another language than English. Both models read English (the embedded one is trained on SST-2,
 * English film-review sentences; Workers AI's is distilbert-…-sst-2-english), and label any other text from the few
 * words it shares with English: `Sehr gut verarbeitet, schnelle Lieferung.` ("very well made, fast delivery") comes out
 * NEGATIVE, `Очень плохо, не рекомендую.` ("very bad, not recommended") POSITIVE. Such a run ended exit 0 with a label on
 * every row and no word of it. The job cannot translate, so it says so at start-up, once, with what to do; the rows are
 * scored as before.
 *
 * A text looks like another language, read as NFKC (a font generator's 𝐛𝐨𝐥𝐝 letters as the letters they stand for), when
 * most of its letters are of another script than Latin (Cyrillic, Han, Arabic…); when it has as many words of other
 * scripts as Latin words or more, Han, kana or Hangul counted two characters a word (`这个app很好用`); when its words with a
 * letter no English word has (ą ł ś, ě ř, ğ ş ı, ơ ư ạ: Polish, Czech, Turkish, Vietnamese… which have no word list)
 * outnumber its English words and make one word in four or there is no English word; when it holds at least two common
 * words of German, French, Spanish, Italian, Portuguese or Dutch and more of them than of English's; or when it is a
 * short review (four words at most) half of whose words are such words and none English (`Sehr gut!`). The lists leave
 * out every word that is also English or a name in English reviews (`die`, `war`, `hat`, `ai`, `com`, `las`, `los`,
 * `el`, `todo`), so an English review that names `Las Vegas` or `Hotel de Paris` is not taken for another language.
 */

import { ENGLISH_WORDS, OTHER_WORDS } from './other-language-words.js';
import { sampledShare } from './sampled-share.js';

const LETTER = /\p{L}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;
const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;
/** Han, kana and Hangul: written without spaces, about two characters a word (`这个app很好用`: two and a half to one). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/**
 * Latin letters of Polish, Czech, Turkish, Vietnamese, Romanian, Hungarian, the Baltic languages… that no English word
 * has (ą ę ł ś ż, ě ř ů, ğ ş ı, ơ ư ạ ả, ă ș ț, ő ű): Latin Extended-A but œ (hors d'œuvre), ơ ư ș ț, and Vietnamese's
 * letters with a dot below or a hook above. é è ç ñ ö ü are French, Spanish or German, and English's loanwords.
 */
const MARKED_LETTER = /[\u0100-\u0151\u0154-\u017f\u01a0\u01a1\u01af\u01b0\u0218-\u021b\u1ea0-\u1ef9]/u;
/**
 * A review of at most this many words is another language when half its words or more are common words of a listed
 * one, and none English's (`Sehr gut!`, `Muito bom o app`); a name among English words (`jersey lowbrow accent uma`) is not.
 */
const SHORT_WORDS = 4;

/** Whether a text looks written in another language than English (see the file's comment for how it is told). */
export function looksOtherLanguage(raw: string): boolean {
  // Compatibility forms read as the letters they stand for: 𝐒𝐞𝐡𝐫 𝐠𝐮𝐭 (mathematical bold) as Sehr gut, ｇｕｔ as gut;
  // also composes a letter written with a combining mark (a + U+0323 as ạ).
  const text = raw.normalize('NFKC');
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return false;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  if (latin * 2 < letters) return true;
  const words = text.replace(/’/g, "'").match(WORD) ?? [];
  let latinWords = 0;
  let otherScriptWords = 0;
  let cjkChars = 0;
  let other = 0;
  let english = 0;
  let marked = 0;
  for (const word of words) {
    const chars = [...word];
    const cjk = chars.filter((char) => CJK.test(char)).length;
    // A word of Latin letters with Han after it (ChatGPT很好用, as WORD reads it) is one Latin word and three Han characters.
    cjkChars += cjk;
    if (cjk === chars.length) continue;
    if (!/\p{Script=Latin}/u.test(word)) {
      otherScriptWords += 1;
      continue;
    }
    latinWords += 1;
    if (MARKED_LETTER.test(word)) marked += 1;
    const lower = word.toLowerCase();
    if (OTHER_WORDS.has(lower)) other += 1;
    else if (ENGLISH_WORDS.has(lower)) english += 1;
  }
  // A Chinese word is one to three characters: two to a word, so that dishes named in Han in an English review
  // (`We ordered the 麻婆豆腐 and 小笼包`) do not outweigh it; as many as the Latin words make a short title another
  // language (`app很好`, an app's name and a word of Chinese).
  const otherScript = cjkChars / 2 + otherScriptWords;
  if (otherScript > 0 && otherScript >= latinWords) return true;
  // Such letters in one word of four or more, or in a text of no English word, and more such words than English ones: a
  // name in an English review (Dvořák, Łódź) is one word among English ones.
  if (marked > english && (marked * 4 >= latinWords || english === 0)) return true;
  if (english === 0 && other > 0 && other * 2 >= latinWords && latinWords <= SHORT_WORDS) return true;
  return other >= 2 && other > english;
}

/**
 * The warning for texts sampled from the first records (as the job would send them), or undefined when fewer than one
 * in ten look written in another language: an English export with a few reviews in other languages says nothing, as its
 * figures hardly move. `subject` names the text column or field as the user gave it; `turnOff`, how to turn the check
 * off (`run with --language-check off`, or the job file's key), for an export scored mixed-language on purpose.
 */
export function otherLanguageWarning(texts: readonly string[], subject: string, turnOff = 'run with --language-check off'): string | undefined {
  const other = sampledShare(texts, looksOtherLanguage, 10);
  if (other === undefined) return undefined;
  return (
    `${subject} looks written in another language than English in ${other.count} of the first ${other.of} texts ('${other.first}'): ` +
    'both models read English only and label such a text from the few words it shares with English, often wrongly, though every row ' +
    'gets a label; translate those reviews before scoring, or leave them out of the figures (docs/input-formats.md#reviews-in-other-languages); ' +
    `to score a mixed-language export on purpose without this warning, ${turnOff}`
  );
}
