import { defaultCalendar } from '../functions/domain/calendar';
import { writeSection } from './results-file';

/*
 * The working-day calendar's speed, as a ratio in one run: addWorkingDays (holidays, make-up
 * workdays and the half-day rule of 17.4 working days) against formatting the same instants with
 * Intl in Asia/Shanghai, the cheapest honest thing a deadline could do instead. Every clock point
 * of every case calls it, and the replay calls it millions of times.
 *   npm run bench:calendar [-- --calls 200000]
 */
const callsArg = process.argv.indexOf('--calls');
const calls = callsArg > 0 ? Number(process.argv[callsArg + 1]) : 200_000;
if (!Number.isInteger(calls) || calls < 1) throw new Error('--calls takes a positive whole number');

const start = Date.parse('2026-01-01T00:00:00+08:00');
const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

function perSecond(run: () => number): number {
  run(); // warm up
  const began = performance.now();
  const sink = run();
  const seconds = (performance.now() - began) / 1000;
  if (!(sink > 0)) throw new Error('the loop computed nothing');
  return calls / seconds;
}

const calendarRate = perSecond(() => {
  let sink = 0;
  for (let i = 0; i < calls; i++) sink += defaultCalendar.addWorkingDays(start + i * 600_000, 17.4);
  return sink;
});
const intlRate = perSecond(() => {
  let sink = 0;
  for (let i = 0; i < calls; i++) sink += shanghai.format(start + i * 600_000).length;
  return sink;
});

const ratio = calendarRate / intlRate;
console.log(`addWorkingDays ${Math.round(calendarRate)}/s, Intl format ${Math.round(intlRate)}/s, ratio ${ratio.toFixed(2)}`);
writeSection(
  'calendar',
  `## Working-day calendar (\`npm run bench:calendar\`)

${calls.toLocaleString('en')} deadlines of 17.4 working days from instants ten minutes apart:

| | calls per second |
|---|---|
| \`addWorkingDays\` | ${Math.round(calendarRate).toLocaleString('en')} |
| Intl date formatting in Asia/Shanghai, same instants | ${Math.round(intlRate).toLocaleString('en')} |
| ratio | **${ratio.toFixed(2)}** |`,
);
