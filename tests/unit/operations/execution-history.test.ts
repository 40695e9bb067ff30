import { consoleUrlOf, currentStateOfNewestFirst, pathOfNewestFirst } from '../../../functions/operations/execution-history';
import { historyPage } from '../../../local/stepfunctions/service';

const entered = (id: number, name: string) => ({ id, type: 'TaskStateEntered', stateEnteredEventDetails: { name } });
const exited = (id: number, name: string) => ({ id, type: 'TaskStateExited', stateExitedEventDetails: { name } });
const other = (id: number) => ({ id, type: 'TaskScheduled' });

describe('the execution view read newest first', () => {
  it('is where the newest state event says: entered and waiting, or between states', () => {
    expect(currentStateOfNewestFirst([other(9), other(8), entered(7, 'AwaitSignOff'), exited(6, 'Begin'), entered(1, 'Begin')])).toBe('AwaitSignOff');
    expect(currentStateOfNewestFirst([exited(8, 'AwaitSignOff'), entered(7, 'AwaitSignOff')])).toBeUndefined();
    expect(currentStateOfNewestFirst([other(3)])).toBeUndefined();
  });

  it('gives the states of the page in the order they were entered', () => {
    expect(pathOfNewestFirst([entered(7, 'AwaitSignOff'), exited(6, 'Begin'), entered(1, 'Begin')])).toEqual(['Begin', 'AwaitSignOff']);
  });

  it('links to the console of the execution\'s partition and region, never for a local stack', () => {
    const arn = 'arn:aws:states:ap-east-1:123456789012:execution:case-workflow:01KK81QAM0N09MEBE73C2QM5XF';
    expect(consoleUrlOf(arn)).toBe(`https://ap-east-1.console.aws.amazon.com/states/home?region=ap-east-1#/v2/executions/details/${encodeURIComponent(arn)}`);
    expect(consoleUrlOf('arn:aws-cn:states:cn-north-1:123456789012:execution:m:e')).toMatch(/^https:\/\/console\.amazonaws\.cn\/states\/home\?region=cn-north-1#/);
    expect(consoleUrlOf('arn:aws-us-gov:states:us-gov-west-1:123456789012:execution:m:e')).toMatch(/^https:\/\/console\.amazonaws-us-gov\.com\//);
    expect(consoleUrlOf('arn:aws:states:us-east-1:000000000000:execution:m:e')).toBeUndefined();
    expect(consoleUrlOf('not an arn')).toBeUndefined();
  });
});

describe('the local engine pages history as AWS does', () => {
  const events = Array.from({ length: 25 }, (_, i) => ({ id: i + 1 }));

  it('newest first, page after page, every event once', () => {
    const seen: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = historyPage(events, { reverseOrder: true, maxResults: 10, ...(nextToken ? { nextToken } : {}) });
      seen.push(...page.page.map((e) => e.id));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(events.map((e) => e.id).reverse());
  });

  it('events written while a client pages newest first neither repeat nor hide older ones', () => {
    const first = historyPage(events, { reverseOrder: true, maxResults: 10 });
    const grown = [...events, { id: 26 }, { id: 27 }];
    const second = historyPage(grown, { reverseOrder: true, maxResults: 10, nextToken: first.nextToken });
    expect(second.page.map((e) => e.id)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
  });

  it('oldest first by default, and refuses a token made for the other order or made up', () => {
    const first = historyPage(events, { maxResults: 20 });
    expect(first.page.map((e) => e.id)).toEqual(events.slice(0, 20).map((e) => e.id));
    expect(historyPage(events, { nextToken: first.nextToken }).page.map((e) => e.id)).toEqual([21, 22, 23, 24, 25]);
    expect(() => historyPage(events, { reverseOrder: true, nextToken: first.nextToken })).toThrow(/Invalid Token/);
    expect(() => historyPage(events, { nextToken: 'bm9wZQ' })).toThrow(/Invalid Token/);
  });
});
