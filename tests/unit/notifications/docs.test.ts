import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTIFICATION_RULES } from '../../../functions/domain/notifications/rules';

/** docs/notifications.md's table of who is told what is the rules' data, row for row. */
it('the table in docs/notifications.md lists every rule, and only the rules', () => {
  const page = readFileSync(join(__dirname, '../../../docs/notifications.md'), 'utf8');
  const rows = page
    .split('\n')
    .filter((line) => /^\| `[A-Z_]+` \|/.test(line))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      return `${cells[1]!.replace(/`/g, '')} ${cells[3]!.replace(/`/g, '')} ${cells[4] === 'yes'}`;
    });
  const rules = Object.entries(NOTIFICATION_RULES).flatMap(([cause, list]) => list.map((rule) => `${cause} ${rule.code} ${rule.urgent}`));
  expect(rows).toEqual(rules);
});
