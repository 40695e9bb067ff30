import { stdoutJsonLines } from '../../support/stdout-lines';
import { countCaseAccepted, countMetrics, countWorkflowAlerts } from '../../../functions/commons/metrics';

/** The EMF lines written to stdout while `run` runs. */
const emitted = stdoutJsonLines;

describe('business metrics', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('print nothing where no namespace is set (the local stack, the tests)', () => {
    delete process.env.POWERTOOLS_METRICS_NAMESPACE;
    expect(emitted(() => countCaseAccepted())).toEqual([]);
  });

  describe('in AWS (namespace set by infra)', () => {
    beforeEach(() => {
      process.env.POWERTOOLS_METRICS_NAMESPACE = 'LinkedResolution';
      process.env.POWERTOOLS_SERVICE_NAME = 'LinkedResolution-test';
      delete process.env.POWERTOOLS_DEV;
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    });

    test('a case accepted is one EMF line counting CasesAccepted for the stack', () => {
      const [line, ...rest] = emitted(() => countCaseAccepted());
      expect(rest).toEqual([]);
      expect(line).toMatchObject({
        _aws: { CloudWatchMetrics: [{ Namespace: 'LinkedResolution', Dimensions: [['service']], Metrics: [{ Name: 'CasesAccepted', Unit: 'Count' }] }] },
        service: 'LinkedResolution-test',
        CasesAccepted: 1,
      });
    });

    test('a workflow step counts its breaches and escalations, and nothing for other alerts', () => {
      const lines = emitted(() =>
        countWorkflowAlerts([{ type: 'SIGN_OFF_OVERDUE' }, { type: 'HANDLING_OVERDUE' }, { type: 'ESCALATED' }, { type: 'HANDLING_WARNING' }]),
      );
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ DeadlineBreaches: 2, Escalations: 1 });
      expect(emitted(() => countWorkflowAlerts([{ type: 'URGED' }]))).toEqual([]);
      expect(emitted(() => countWorkflowAlerts([]))).toEqual([]);
    });

    test('a gauge is written as 0 too when asked', () => {
      expect(emitted(() => countMetrics({ CalendarYearsMissing: 0 }))).toEqual([]);
      expect(emitted(() => countMetrics({ CalendarYearsMissing: 0 }, { includeZero: true }))[0]).toMatchObject({ CalendarYearsMissing: 0 });
    });
  });
});
