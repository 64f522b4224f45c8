import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

// A Windows-1252 / Latin-1 export (Excel's "CSV (semicolon delimited)" on a European Windows) is refused with the
// iconv that converts it. The line said `e.g. iconv -f windows-1252 -t utf-8`, naming no file: for a .gz export that
// command, run on the file, converts the compressed bytes. It names the user's file now, as a UTF-16 refusal does
// (io/utf16-advice.ts), through gunzip for a .gz, and the copy it writes scores.
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const csv = 'id;avis\r\n1;Très bon produit, généreux\r\n2;Nul, déçu\r\n';

describe('a Windows-1252 / Latin-1 input: the iconv that converts it names the file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'avis.csv'), latin1(csv));
    writeFileSync(path.join(dir, 'export 2026.csv.gz'), gzipSync(latin1(csv)));
    writeFileSync(path.join(dir, 'reviews.jsonl'), latin1('{"text":"café was great"}\n'));
    // One Latin-1 'é' ends the file: read as a multi-byte character cut short.
    writeFileSync(path.join(dir, 'last.csv'), latin1('id,text\n1,great café'));
  });
  afterAll(() => cleanup());

  const refusal = async (args: string[]): Promise<string> => {
    const r = await runCli([...args, '--backend', 'embedded'], { cwd: dir });
    expectCleanError(r.stderr);
    expect(r.code).toBe(3);
    return r.stderr;
  };

  it('a CSV, a JSON Lines file, a last character cut short', async () => {
    expect(await refusal(['score', 'avis.csv', '--delimiter', ';', '--text-column', 'avis'])).toContain(
      'input is not valid UTF-8 at byte 13 (byte 0xe8 after "1;Tr"; the file is probably in another encoding such as Windows-1252 or Latin-1: convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 avis.csv > avis-utf8.csv)\n',
    );
    expect(await refusal(['score', 'reviews.jsonl'])).toContain('convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 reviews.jsonl > reviews-utf8.jsonl)\n');
    expect(await refusal(['score', 'last.csv'])).toContain('a complete file in another encoding: convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 last.csv > last-utf8.csv\n');
  });

  it('a gzip export whose name needs quoting: the command it names (through gunzip) writes a copy that scores', async () => {
    const said = await refusal(['score', 'export 2026.csv.gz', '--delimiter', ';', '--text-column', 'avis']);
    expect(said).toContain("convert it to UTF-8, e.g. gunzip -c 'export 2026.csv.gz' | iconv -f WINDOWS-1252 -t UTF-8 > 'export 2026-utf8.csv')\n");
    const command = /e\.g\. (.*)\)\n/.exec(said)?.[1];
    expect(command).toBeDefined();
    execFileSync('sh', ['-c', command!], { cwd: dir });
    // The copy's rows are the subject, not how its run ends: it scores in this process (support/score-in-built-process.ts).
    const r = await scoreInBuiltProcess([path.join(dir, 'export 2026-utf8.csv'), '--delimiter', ';', '--text-column', 'avis', '--backend', 'embedded']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rows 2: scored 2, skipped 0, failed 0');
  });
});

// newuser24: Excel's "CSV (MS-DOS)" is written in the DOS code page (CP850 in Western Europe, CP437 in the US), not in
// Windows-1252: its 'é' is 0x82, Windows-1252's low quote '‚'. The WINDOWS-1252 conversion advised turned
// `Catégorie` into `Cat‚gorie` without a word, and stopped at the first 'É' (0x90, which Windows-1252 lacks): iconv's
// exit 1 left a copy cut there, which scored as a shorter export. Letters of the DOS code page inside words name it.
const cp850 = (text: string): Buffer => Buffer.from(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP850'], { input: text }));

describe('an export in the DOS code page (Excel\'s "CSV (MS-DOS)")', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'dos.csv'), cp850('N° commande;Catégorie;Review Text\r\n1;Électronique;Très bien, fenêtre réglée\r\n2;Maison;Déçu\r\n'));
  });
  afterAll(() => cleanup());

  it('names CP850, and the command it names writes a copy with the letters as they were', async () => {
    const r = await runCli(['score', 'dos.csv', '--delimiter', ';', '--text-column', 'Review Text', '--backend', 'embedded'], { cwd: dir });
    expectCleanError(r.stderr);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('convert it to UTF-8, e.g. iconv -f CP850 -t UTF-8 dos.csv > dos-utf8.csv)\n');
    const command = /e\.g\. (.*)\)\n/.exec(r.stderr)?.[1];
    execFileSync('sh', ['-c', command!], { cwd: dir });
    // The copy's rows are the subject: it scores in this process (support/score-in-built-process.ts).
    const scored = await scoreInBuiltProcess([path.join(dir, 'dos-utf8.csv'), '--delimiter', ';', '--text-column', 'Review Text', '--backend', 'embedded']);
    expect(scored.code, scored.stdout).toBe(0);
    expect(readFileSync(path.join(dir, 'dos-utf8.scored.csv'), 'utf8')).toContain('1;Électronique;Très bien, fenêtre réglée;');
  });

  /** `text` written in `encoding` as `name`: refused naming `encoding`, and the command printed, run as it is, gives `text` back. */
  const adviceGivesBack = async (name: string, encoding: string, text: string): Promise<void> => {
    writeFileSync(path.join(dir, name), Buffer.from(execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: text })));
    const r = await runCli(['score', name, '--backend', 'embedded'], { cwd: dir });
    expectCleanError(r.stderr);
    expect(r.code).toBe(3);
    const copy = name.replace(/\.csv$/, '-utf8.csv');
    expect(r.stderr).toContain(`convert it to UTF-8, e.g. iconv -f ${encoding} -t UTF-8 ${name} > ${copy})\n`);
    execFileSync('sh', ['-c', /e\.g\. (.*)\)\n/.exec(r.stderr)![1]!], { cwd: dir });
    expect(readFileSync(path.join(dir, copy), 'utf8')).toBe(text);
  };

  // fuzz34: 'ß' is 0xE1 in the DOS code page, Windows-1252's 'á': inside `Straße` it counted for Windows-1252, tying with
  // `für`'s 'ü' (0x81), and the WINDOWS-1252 conversion advised stopped at 0x81 (a byte Windows-1252 lacks, iconv's exit 1)
  // with a copy cut there. A byte Windows-1252 lacks (0x81 0x8D 0x8F 0x90 0x9D) anywhere names the DOS code page.
  it('a German export with ß (0xE1 in both): a byte Windows-1252 lacks names CP850, whose command writes the text as it was', async () => {
    await adviceGivesBack('de.csv', 'CP850', 'id,text\r\n1,Straße für Größe\r\n2,es heißt gut\r\n');
  });

  // fuzz34: Central Europe's DOS code page is CP852 (Polish, Czech, Hungarian): its 'ą' 'ę' 'ż' 'č' 'ě' are bytes that are
  // no lower-case letter in CP850 nor in Windows-1252 ('Ą' '©' '¥' 'ƒ' 'Ï' in CP850). Either conversion advised wrote
  // wrong letters (CP850: `zażółć` as `za¥ó²å`) or stopped at a byte Windows-1252 lacks.
  it('a Polish export in CP852: named CP852, whose command writes the text as it was', async () => {
    await adviceGivesBack('pl.csv', 'CP852', 'id,text\r\n1,zażółć gęślą jaźń\r\n2,Kraków, dziękuję, świetnie\r\n');
  });

  // review72: Excel's plain "CSV" on a Polish or Czech Windows is Windows-1250, whose 'ą' 'ł' 'ż' 'ť' (0xB9 0xB3 0xBF 0x9D) are
  // box lines or capitals in CP852 and CP850. Its 'ź' (0x9F, CP852's 'č') named CP852 and its 'ť' (a byte Windows-1252
  // lacks) CP850, whose iconv exits 0 with other letters (`mroźny` as `mro╣ny`...): a copy that scores, wrongly.
  it('a Polish export in Windows-1250: named WINDOWS-1250, whose command writes the text as it was', async () => {
    await adviceGivesBack('pl-ansi.csv', 'WINDOWS-1250', 'id,text\r\n1,bardzo mroźny dzień, zażółć gęślą jaźń\r\n2,późno dostarczone\r\n');
  });

  it('a Czech export in Windows-1250 with ť: named WINDOWS-1250, not CP850', async () => {
    await adviceGivesBack('cz-ansi.csv', 'WINDOWS-1250', 'id,text\r\n1,velmi špatné, ale chuťové\r\n2,dobrá kvalita\r\n');
  });

  // lowfix80: the same export whose only ť starts a word (`ťukání`) has no Windows-1250 letter between two letters, and its
  // ť (0x9D) is a byte Windows-1252 lacks: it was named CP850, whose iconv exits 0 with other letters (`dobrá ťukání` as `dobrß ØukßnÝ`).
  // Its other letters (á é í ý, 0xE1 0xE9 0xED 0xFD) read as Windows letters, and 0x9D is one of Windows-1250's.
  it('a Czech export in Windows-1250 whose only ť starts a word: named WINDOWS-1250, not CP850', async () => {
    await adviceGivesBack('cz-start.csv', 'WINDOWS-1250', 'id,text\r\n1,dobrá kvalita, ťukání je slyšet\r\n2,rychlé dodání\r\n');
  });

  // lowfix80: Hungarian's ő and ű are CP852's 0x8B and 0xFB, CP850's ï and ¹, and its other accented letters (á é í ó ö ú ü)
  // are the same bytes in both, none of the letters that named CP852 (ą ę ź ż ž č ď ě ś): named CP850, whose iconv exits 0
  // with `minïség` and `könny¹`. A ¹ after a letter is no word of CP850's: its ï's are ő's.
  it('a Hungarian export in CP852: named CP852, not CP850', async () => {
    await adviceGivesBack('hu.csv', 'CP852', 'id,text\r\n1,nagyon jó minőség, gyors szállítás\r\n2,könnyű használni, egyszerű és tűzálló\r\n');
  });

  // lowfix86: a Czech Windows-1250 export with none of ť ą ł ż was named Windows-1252 (`pøímo`, `doruèení`) and a Slovak one
  // with ľ (0xBE, CP852's ż) CP852: both conversions exit 0 with wrong letters. Each reading is now scored by whether its
  // letters make one language's words (dos-code-page.ts).
  it('a Czech export in Windows-1250 with none of ť ą ł ż: named WINDOWS-1250, not WINDOWS-1252', async () => {
    await adviceGivesBack('cz-plain.csv', 'WINDOWS-1250', 'id,text\r\n1,"Velmi spokojený, doručení bylo rychlé."\r\n2,"Cena je přiměřená, doporučuji."\r\n');
  });

  it('a Slovak export in Windows-1250 with ľ: named WINDOWS-1250, not CP852', async () => {
    await adviceGivesBack('sk-ansi.csv', 'WINDOWS-1250', 'id,text\r\n1,"Veľmi dobrý výrobok, ľahko sa používa."\r\n2,"Kvalita je zlá, po týždni sa to pokazilo."\r\n');
  });

  it('bytes that read as words in two encodings (naïve, naďve): both named, the other\'s conversion giving the text back', async () => {
    const text = 'id,text\r\n1,naďve\r\n';
    writeFileSync(path.join(dir, 'both.csv'), Buffer.from(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'WINDOWS-1250'], { input: text })));
    const r = await runCli(['score', 'both.csv', '--backend', 'embedded'], { cwd: dir });
    expectCleanError(r.stderr);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "Windows-1252 or Latin-1, or else in WINDOWS-1250 (its bytes read as words in each: if the copy's accented letters look wrong, convert from that instead): " +
        'convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 both.csv > both-utf8.csv)\n',
    );
    execFileSync('sh', ['-c', 'iconv -f WINDOWS-1250 -t UTF-8 both.csv > both-utf8.csv'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'both-utf8.csv'), 'utf8')).toBe(text);
  });

  it('a Spanish Windows-1252 export with ¿ (Windows-1250\'s ż) and 50 m³ (its ł) is still named Windows-1252', async () => {
    await adviceGivesBack('es.csv', 'WINDOWS-1252', 'id,text\r\n1,¿es bueno? sí, 50 m³ de espacio\r\n2,¿qué tal? muy útil\r\n');
  });

  it('a Windows-1252 export with a quote mark inside a word (don’t) is still named Windows-1252', async () => {
    writeFileSync(path.join(dir, 'ansi.csv'), Buffer.from(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'WINDOWS-1252'], { input: 'id;text\r\n1;I don’t like it—really, it’s bad\r\n2;Très déçu\r\n' })));
    const r = await runCli(['score', 'ansi.csv', '--delimiter', ';', '--backend', 'embedded'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('iconv -f WINDOWS-1252 -t UTF-8 ansi.csv > ansi-utf8.csv)\n');
  });
});
