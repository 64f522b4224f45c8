/**
 * The accented letters each European language writes (lower case), for dos-code-page.ts: an export read in the right
 * encoding gives letters of one language, read in a wrong one letters of none (a Czech Windows-1250 `přímo` read as
 * Windows-1252 is `pøímo`: no language writes ø beside í, š and ì). Languages of the four encodings it tells apart:
 * Western Europe's (Windows-1252, CP850) and Central Europe's (Windows-1250, CP852). ASCII letters are in every one.
 * Not Icelandic, whose DOS code page is CP861: its þ (CP850's reading of Windows-1252's ç) made `française` read as
 * words in CP850 too.
 */
export const LANGUAGE_LETTERS: readonly string[] = [
  'àâæçéèêëîïôœùûüÿ', // French
  'äöüß', // German
  'áéíóúñü', // Spanish
  'àèéìíîòóùú', // Italian
  'áâãàçéêíóôõú', // Portuguese
  'áéíóúàèëïöüêâ', // Dutch
  'æøåé', // Danish, Norwegian
  'åäöé', // Swedish
  'äöåšžõü', // Finnish, Estonian
  'àçéèíïóòúü', // Catalan
  'áčďéěíňóřšťúůýž', // Czech
  'áäčďéíĺľňóôŕšťúýž', // Slovak
  'ąćęłńóśźż', // Polish
  'áéíóöőúüű', // Hungarian
  'čćđšž', // Slovenian, Croatian, Bosnian
  'ăâîșțşţ', // Romanian
  'çë', // Albanian
];

/** Vowels, accented or not: an accented consonant (č ř ł ś ž) between two consonants is seldom a word's. */
export const VOWELS = 'aeiouyàáâãäåæèéêëěęìíîïòóôõöőøœùúûüůűýÿąă';
