// Writes a synthetic review export as CSV to stdout, for the container test.
//   node test/docker/gen-reviews.mjs ROWS [FIRST_ID] [SEED]
// Deterministic for the same arguments. Every text is distinct (it names its
// order number), so no row is answered by another row's request; some texts
// hold commas, quotes or a line break, so the CSV quoting is exercised too.

const rows = Number(process.argv[2]);
const firstId = Number(process.argv[3] ?? 1);
const seed = Number(process.argv[4] ?? 1);
if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(firstId) || !Number.isInteger(seed)) {
  process.stderr.write('usage: gen-reviews.mjs ROWS [FIRST_ID] [SEED] (integers)\n');
  process.exit(2);
}

// mulberry32: a small seeded generator, so the file is the same on every run.
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const products = ['kettle', 'headset', 'desk lamp', 'backpack', 'coffee grinder', 'phone case', 'router', 'blender', 'hotel room', 'tent'];
const good = ['works perfectly', 'arrived early', 'feels solid', 'is a joy to use', 'exceeded my expectations', 'was worth every penny'];
const bad = ['broke after a week', 'arrived damaged', 'feels cheap', 'stopped working', 'was a waste of money', 'smells of burnt plastic'];
const extras = ['The support team answered within a day.', 'Setup took five minutes.', 'I would not buy it again.', 'My partner loves it too.', 'The manual is useless.', ''];

const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

const lines = ['id,date,title,review,rating'];
for (let i = 0; i < rows; i += 1) {
  const id = firstId + i;
  const positive = random() < 0.6;
  const product = pick(products);
  const verdict = positive ? pick(good) : pick(bad);
  const rating = positive ? 4 + Math.floor(random() * 2) : 1 + Math.floor(random() * 2);
  let review = `The ${product} ${verdict}, order #${id}. ${pick(extras)}`.trim();
  if (random() < 0.05) review = `I called it "the ${product} of the year".\nStill happy with order #${id}.`;
  const day = String(1 + (id % 28)).padStart(2, '0');
  lines.push([`r${id}`, `2026-11-${day}`, quote(`${product}: ${positive ? 'good' : 'bad'}`), quote(review), String(rating)].join(','));
}
process.stdout.write(`${lines.join('\n')}\n`);
