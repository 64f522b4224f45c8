import { COLOURS } from './charts.js';

/** The page's only style sheet, inline: system fonts, nothing fetched. */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:${COLOURS.ink};font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:940px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:24px;margin:0 0 2px}
h1 .file{font-weight:400;color:#555;font-size:18px;margin-left:8px;word-break:break-all}
h2{font-size:18px;margin:0 0 4px}
h3{font-size:15px;margin:0 0 8px}
.sub,.note,.muted,footer{color:#666}
.note{margin:0 0 12px;font-size:14px}
section{background:#fff;border-radius:10px;padding:18px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.cards{display:grid;grid-template-columns:1.6fr repeat(4,1fr);gap:12px}
.card{border:1px solid #e4e6ea;border-radius:8px;padding:10px 14px}
.card .label{font-size:13px;color:#666;text-transform:uppercase;letter-spacing:.03em}
.card .value{font-size:26px;font-weight:600}
.card.main .value{font-size:34px;color:${COLOURS.neutral}}
.card.bad .value{color:${COLOURS.negative}}
.card .ci{font-size:13px;color:#666}
.codes{margin:10px 0 0;font-size:13px}
.code{display:inline-block;border-radius:4px;padding:1px 7px;margin:2px 4px 2px 0;background:#f1f1f1}
.code.failed{background:#fbe9e5;color:#8a2f1d}
.why{margin:4px 0 0;padding-left:18px;font-size:13px}
.why li{margin:2px 0;overflow-wrap:anywhere}
.run{margin:10px 0 0;font-size:14px}
figure.chart{margin:0 0 8px;overflow-x:auto}
figure.chart svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:14px;margin-top:6px}
th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left}
th{font-weight:600;color:#555}
td:first-child{max-width:380px;overflow-wrap:anywhere}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.split{display:grid;grid-template-columns:1fr 1fr;gap:20px;align-items:start}
.callouts{display:flex;flex-direction:column;gap:12px;justify-content:center}
.callout{display:flex;gap:12px;align-items:center;border-left:4px solid ${COLOURS.negative};padding:6px 12px;background:#fcf5f3}
.callout .value{font-size:24px;font-weight:600;min-width:84px;white-space:nowrap}
.examples ol{margin:0;padding-left:0;list-style:none}
.examples li{margin:0 0 10px;padding:8px 10px;border-radius:6px;background:#f8f8f8;overflow-wrap:anywhere}
.examples.negative li{border-left:4px solid ${COLOURS.negative}}
.examples.positive li{border-left:4px solid ${COLOURS.positive}}
.examples q{display:block;margin-top:2px;quotes:none}
.examples summary{cursor:pointer;color:#555;margin:0 0 10px}
.score{font-weight:600;font-variant-numeric:tabular-nums}
.row{color:#888;font-size:13px}
.empty{color:#888;font-style:italic}
footer{font-size:13px;margin-top:20px}
@media (max-width:760px){.cards{grid-template-columns:1fr 1fr}.split{grid-template-columns:1fr}}
`;
