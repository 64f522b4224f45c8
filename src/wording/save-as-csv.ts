/** What to do with a spreadsheet workbook given as the input (format.ts by its name, utf8-check.ts by its bytes). */
export const SAVE_AS_CSV = 'save the sheet as CSV UTF-8 (Excel: File > Save As > CSV UTF-8 (Comma delimited))';
