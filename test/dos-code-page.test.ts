// Whether an export that is not UTF-8 is in a DOS code page (CP850, CP852) or in Windows-1252 (io/dos-code-page.ts): told by
// the bytes between two lower-case letters, where a word's accented letter stands.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LACKING, UPPER_HALVES } from '../src/io/code-page-tables.js';
import { codePageGuess, dosCodePage } from '../src/io/dos-code-page.js';

const bytes = (...parts: (string | number)[]): Uint8Array => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.of(part))));

describe('dosCodePage', () => {
  it("counts 'ß' (0xDF, Windows-1252's lowest lower-case letter) for Windows-1252: Straße beside a low quote between letters stays Windows-1252", () => {
    // 0x82 is CP850's 'é' and Windows-1252's low quote '‚': one each way is no majority for the DOS code page.
    expect(dosCodePage(bytes('stra', 0xdf, 'e und ab', 0x82, 'c'))).toBeUndefined();
  });

  it('takes only a byte with a letter on both sides: German low quotes („ 0x84, CP850\'s ä) before words are no DOS letters', () => {
    // Windows-1252: sagt „gut“ und „schön“ (0x84 … 0x93, ö 0xF6).
    expect(dosCodePage(bytes('sagt ', 0x84, 'gut', 0x93, ' und ', 0x84, 'sch', 0xf6, 'n', 0x93))).toBeUndefined();
  });

  it("takes 'a' to 'z' as the letters around, both ends: zéro and año in CP850", () => {
    expect(dosCodePage(bytes('z', 0x82, 'ro'))).toBe('CP850');
    expect(dosCodePage(bytes('a', 0xa4, 'o'))).toBe('CP850');
  });

  // CP852's ű (0xFB) is CP850's ¹, and Windows-1252's û: only in an export that reads as DOS does it name Hungarian.
  it("counts ű (0xFB) after a letter for CP852 only in a DOS export: French Windows-1252's goût stays Windows-1252", () => {
    expect(dosCodePage(bytes('un go', 0xfb, 't s', 0xfb, 'r, tr', 0xe8, 's bien'))).toBeUndefined();
    // minőség, könnyű in CP852 (ő 0x8B, ö 0x94, ű 0xFB, é 0x82, ü 0x81).
    expect(dosCodePage(bytes('min', 0x8b, 's', 0x82, 'g, k', 0x94, 'nny', 0xfb, ' ', 0x81, 'gy'))).toBe('CP852');
  });

  it("keeps CP850 for French ï (0x8B, CP852's ő) without a ű: très naïf, maïs", () => {
    expect(dosCodePage(bytes('tr', 0x8a, 's na', 0x8b, 'f, ma', 0x8b, 's'))).toBe('CP850');
  });

  // Windows-1250's ť Ť Ź (0x9D 0x8D 0x8F) are bytes Windows-1252 lacks, as are CP850's Ø ì Å.
  it('names Windows-1250 for a byte Windows-1252 lacks that is a Windows-1250 letter, in a text whose letters read as Windows ones', () => {
    // dobrá ťukání (á 0xE1, ť 0x9D, í 0xED).
    expect(dosCodePage(bytes('dobr', 0xe1, ' ', 0x9d, 'uk', 0xe1, 'n', 0xed))).toBe('WINDOWS-1250');
    // Danish in CP850: Øl, smør (Ø 0x9D, ø 0x9B): no Windows letter between letters, so CP850.
    expect(dosCodePage(bytes(0x9d, 'l er godt, sm', 0x9b, 'r'))).toBe('CP850');
    // German in CP850: Straße für (ß 0xE1, ü 0x81, a byte Windows-1250 lacks too).
    expect(dosCodePage(bytes('Stra', 0xe1, 'e f', 0x81, 'r'))).toBe('CP850');
  });
});

// lowfix86: the encoding was told by rules about a few bytes; a Czech Windows-1250 export with none of ť ą ł ż was named
// Windows-1252 (`pøímo`, `doruèení`), a Slovak one with ľ CP852 (its ż), a Polish CP852 one without ą ę ż č ě CP850
// (`obsêuga`), a Hungarian Windows-1250 one Windows-1252 (`minõség`): each a conversion that exits 0 with wrong letters.
// Each realistic export below, in its Windows and its DOS code page, is named so that the conversion gives it back.
const encoded = (text: string, encoding: string): Buffer => Buffer.from(execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: text }));
const decoded = (bytes: Buffer, encoding: string): string => execFileSync('iconv', ['-f', encoding, '-t', 'UTF-8'], { input: bytes }).toString('utf8');

const EXPORTS: Record<string, { windows: string; dos: string; text: string }> = {
  Czech: {
    windows: 'WINDOWS-1250',
    dos: 'CP852',
    text: 'id,text\r\n1,"Velmi spokojený, doručení bylo rychlé."\r\n2,"Kvalita je špatná, po týdnu se to rozbilo."\r\n3,"Cena je přiměřená, doporučuji."\r\n',
  },
  Slovak: {
    windows: 'WINDOWS-1250',
    dos: 'CP852',
    text: 'id,text\r\n1,"Veľmi dobrý výrobok, ľahko sa používa."\r\n2,"Kvalita je zlá, po týždni sa to pokazilo."\r\n',
  },
  Polish: {
    windows: 'WINDOWS-1250',
    dos: 'CP852',
    text: 'id,text\r\n1,"Jakość wykonania jest słaba, po tygodniu się zepsuło."\r\n2,"Nie polecam, obsługa klienta nie odpowiada na maile."\r\n',
  },
  Hungarian: {
    windows: 'WINDOWS-1250',
    dos: 'CP852',
    text: 'id,text\r\n1,"A kidolgozás minősége gyenge, egy hét után elromlott."\r\n2,"Könnyű használni, de a leírás túl rövid."\r\n',
  },
  German: {
    windows: 'WINDOWS-1252',
    dos: 'CP850',
    text: 'id,text\r\n1,"Angenehme Überraschung, der Akku hält den ganzen Tag."\r\n2,"Größe passt nicht, musste es zurückschicken."\r\n',
  },
  French: {
    windows: 'WINDOWS-1252',
    dos: 'CP850',
    text: 'id,text\r\n1,"Très satisfait, la livraison était rapide."\r\n2,"La marchandise est arrivée abîmée, le remboursement a pris un mois."\r\n',
  },
};

describe('codePageGuess names the encoding whose conversion gives the export back', () => {
  for (const [language, { windows, dos, text }] of Object.entries(EXPORTS)) {
    for (const encoding of [windows, dos]) {
      it(`a ${language} export in ${encoding}`, () => {
        const bytes = encoded(text, encoding);
        const guess = codePageGuess(bytes);
        expect(guess.alternatives).toEqual([]);
        expect(decoded(bytes, guess.encoding)).toBe(text);
      });
    }
  }

  it('names both encodings when the bytes read as words in each: naïve (ï) is naďve in Windows-1250', () => {
    const bytes = encoded('id,text\r\n1,naïve\r\n', 'WINDOWS-1252');
    expect(codePageGuess(bytes)).toEqual({ encoding: 'WINDOWS-1252', alternatives: ['WINDOWS-1250'] });
    expect(decoded(bytes, 'WINDOWS-1250')).toBe('id,text\r\n1,naďve\r\n');
    // A Czech one-word export whose only letter is both: the same bytes, the same two names.
    expect(codePageGuess(encoded('id,text\r\n1,naďve\r\n', 'WINDOWS-1250'))).toEqual({ encoding: 'WINDOWS-1252', alternatives: ['WINDOWS-1250'] });
  });

  // Polish's ł and ń are CP852's 0x88 and 0xE4, CP850's ê and õ: a text whose only accented letters are those reads as
  // Portuguese letters in CP850. Both are named, the conversion from CP852 giving it back.
  it('names both DOS code pages for a Polish CP852 text whose only letters are ł ń (CP850\'s ê õ)', () => {
    const text = 'id,text\r\n1,"Miłe zaskoczenie, bateria wytrzymuje cały dzień."\r\n2,"Dobra cena, polecam."\r\n';
    const bytes = encoded(text, 'CP852');
    const guess = codePageGuess(bytes);
    expect([guess.encoding, ...guess.alternatives].sort()).toEqual(['CP850', 'CP852']);
    expect(decoded(bytes, 'CP852')).toBe(text);
  });

  it('names Windows-1252 alone when no byte past ASCII stands beside a letter (nothing to tell them by), as before', () => {
    expect(codePageGuess(encoded('id,text\r\n1,€ 20 – cheap\r\n', 'WINDOWS-1252'))).toEqual({ encoding: 'WINDOWS-1252', alternatives: [] });
  });
});

describe('the code page tables', () => {
  it("read each byte as glibc's iconv does, and lack the bytes it refuses", () => {
    for (const [encoding, half] of Object.entries(UPPER_HALVES)) {
      const bytes = Array.from({ length: 128 }, (_, k) => 0x80 + k).filter((byte) => half[byte - 0x80] !== LACKING);
      expect(decoded(Buffer.from(bytes), encoding), encoding).toBe(bytes.map((byte) => half[byte - 0x80]).join(''));
      for (let byte = 0x80; byte <= 0xff; byte += 1) {
        if (half[byte - 0x80] === LACKING) expect(() => decoded(Buffer.of(byte), encoding), `${encoding} 0x${byte.toString(16)}`).toThrow();
      }
    }
  });
});
