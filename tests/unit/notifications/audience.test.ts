import { defaultDirectory } from '../../../functions/domain/directory';
import { alertAudience } from '../../../functions/domain/notifications/audience';
import { NOTIFICATION_RULES } from '../../../functions/domain/notifications/rules';
import { ALERT_TYPES } from '../../../functions/domain/workflow';

/* The `audience` attribute of an alert: the units its notifications are for, by the same rules the dispatcher follows. */
const centre = defaultDirectory.supervisionCentre().id;
const conference = defaultDirectory.jointConference().id;
const about = { unit: 'street-xiling-xiling', originUnit: 'community-xiling-shengli-silu' };

it('names the unit itself, and the supervision centre for a breach', () => {
  expect(alertAudience('SIGN_OFF_WARNING', about, defaultDirectory)).toEqual(['street-xiling-xiling']);
  expect(alertAudience('SIGN_OFF_OVERDUE', about, defaultDirectory)).toEqual(['street-xiling-xiling', centre]);
});

it('names the originating community and the centre for an unsatisfied evaluation, the joint conference for its call', () => {
  expect(alertAudience('EVALUATION_UNSATISFIED', about, defaultDirectory)).toEqual(['community-xiling-shengli-silu', centre]);
  expect(alertAudience('CONFERENCE_REQUIRED', about, defaultDirectory)).toEqual([conference]);
});

it('is never empty: an alert no rule addresses is the supervision centre’s', () => {
  expect(NOTIFICATION_RULES.REROUTE_OVERDUE).toBeUndefined();
  expect(alertAudience('REROUTE_OVERDUE', about, defaultDirectory)).toEqual([centre]);
  for (const type of ALERT_TYPES) expect(alertAudience(type, about, defaultDirectory).length).toBeGreaterThan(0);
});
