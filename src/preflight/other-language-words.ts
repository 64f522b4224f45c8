/**
 * The word lists other-language.ts tells languages by: common words of German, French, Spanish, Italian, Portuguese and
 * Dutch that an English review does not hold, and English's commonest words. Kept apart from the rules that use them.
 */

// Common words of those languages that an English review does not hold (accents as written, and without them).
export const OTHER_WORDS = new Set(
  [
    // German
    'und', 'nicht', 'sehr', 'ist', 'ich', 'das', 'der', 'für', 'auch', 'aber', 'nach', 'wie', 'sind', 'eine', 'einen',
    'einem', 'ein', 'kein', 'keine', 'leider', 'schnell', 'schnelle', 'wirklich', 'immer', 'noch', 'nur', 'wenn', 'oder', 'auf',
    'ganz', 'gerne', 'würde', 'habe', 'wurde', 'gekauft', 'produkt', 'qualität', 'lieferung', 'zufrieden', 'schlecht',
    'verarbeitet', 'funktioniert', 'kaufen', 'jetzt', 'schon', 'mein', 'meine', 'sich', 'bei', 'zum', 'zur', 'dass', 'hier',
    // French
    'très', 'tres', 'est', 'les', 'pas', 'une', 'je', 'avec', 'mais', 'du', 'des', "c'est", 'qualité', 'qualite',
    'produit', 'bien', 'mauvais', 'mauvaise', 'trop', 'cette', 'sont', 'été', 'nous', 'vous', 'dans', 'qui', "j'ai",
    "n'est", 'livraison', 'déçu', 'déçue', 'recommande', 'merci', 'rien', 'tout', 'jamais', 'chambre',
    // Spanish
    'muy', 'que', 'pero', 'una', 'producto', 'bueno', 'buena', 'malo', 'mala', 'calidad', 'por', 'está', 'esta', 'fue',
    'más', 'recomiendo', 'excelente', 'nada', 'gracias', 'llegó', 'funciona', 'también', 'tiene', 'pésimo', 'habitación', 'para',
    // Italian
    'molto', 'è', 'il', 'che', 'prodotto', 'della', 'sono', 'ottimo', 'ottima', 'buono', 'qualità', 'anche', 'tutto', 'gli',
    'perché', 'consiglio', 'arrivato', 'funziona', 'questo', 'questa', 'niente', 'grazie',
    // Portuguese
    'muito', 'não', 'é', 'produto', 'uma', 'ótimo', 'ótima', 'qualidade', 'você', 'foi', 'recomendo', 'chegou', 'veio', 'também',
    'péssimo', 'obrigado', 'gostei', 'bom', 'boa', 'ruim',
    // Dutch
    'niet', 'het', 'een', 'zeer', 'goed', 'erg', 'maar', 'voor', 'ik', 'zijn', 'wel', 'ook', 'geen', 'mijn', 'snel',
    'tevreden', 'geleverd', 'slecht',
  ],
);

// English's commonest words, each a word none of the lists above has; then common words of English reviews, so that a
// short one naming a place or a car with a letter no English word has is English (`Amazing Škoda!`, `Loved Tōkyō`, `Đà
// Nẵng trip was fun`). Words that other languages write too (`hotel`, `film`, `app`, `super`, `service`) are left out.
export const ENGLISH_WORDS = new Set(
  [
    'the', 'and', 'is', 'it', 'was', 'this', 'i', 'to', 'of', 'a', 'not', 'for', 'with', 'but', 'very', 'my', 'you', 'they',
    'that', 'are', 'have', 'be', 'on', 'in', 'at', 'so', 'we', 'no', 'all', 'good', 'great', 'bad', 'would', 'will', 'just',
    'if', 'or', 'from', 'as', 'an', 'had', 'has', 'product', 'quality', 'fast', 'delivery', 'love', 'nice', 'well', 'do',
    "it's", "don't", "didn't", 'me', 'our', 'their', 'there', 'what', 'when', 'one', 'only', 'really', 'recommend',
    'amazing', 'awesome', 'loved', 'liked', 'like', 'best', 'worst', 'perfect', 'beautiful', 'terrible', 'awful', 'fun',
    'trip', 'place', 'food', 'staff', 'room', 'stay', 'friendly', 'clean', 'easy', 'helpful', 'thanks', 'thank',
  ],
);
