import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { UnitNotifications } from '../../infra/constructs/unit-notifications';
import contactsJson from '../../config/contacts.json';
import { loadContacts } from '../../functions/domain/notifications/contacts';

/*
 * Each unit's SMS, email and webhook subscriptions on the alert topic receive only what concerns
 * that unit: their filter policies, per unit subscription. The construct is synthesized beside a
 * topic of its own: it is not in the application's stack yet (see docs/notifications.md).
 */
let nested: Template;
beforeAll(() => {
  const stack = new Stack(new App(), 'Notifications');
  const topic = new Topic(stack, 'Alerts');
  const queueKey = new Key(stack, 'QueueKey');
  nested = Template.fromStack(new UnitNotifications(stack, 'UnitNotifications', { topic, queueKey, removalPolicy: RemovalPolicy.DESTROY }));
});

const contacts = loadContacts(contactsJson);
type Subscription = { Properties: { Protocol: string; Endpoint: string; FilterPolicy?: any; RedrivePolicy?: unknown } };
const subscriptions = () => Object.values(nested.findResources('AWS::SNS::Subscription')) as Subscription[];
const to = (endpoint: string) => subscriptions().filter((s) => s.Properties.Endpoint === endpoint);

it('gives every duty phone an SMS subscription filtered to its own unit, with a dead-letter queue', () => {
  const phone = contacts.of('street-xiling-xiling')!.sms[0]!;
  const [sms] = to(`+86${phone}`);
  expect(sms!.Properties.Protocol).toBe('sms');
  expect(sms!.Properties.FilterPolicy).toEqual({
    unit: ['street-xiling-xiling'],
    type: ['SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE', 'HANDLING_WARNING', 'HANDLING_OVERDUE', 'ESCALATED', 'URGED', 'CO_HANDLER_WARNING', 'CO_HANDLER_OVERDUE'],
  });
  expect(sms!.Properties.RedrivePolicy).toBeDefined();
});

it('filters each unit subscription on that unit alone', () => {
  for (const unit of contacts.units) {
    for (const phone of contacts.of(unit)!.sms) {
      const policy = to(`+86${phone}`)[0]!.Properties.FilterPolicy;
      const units = policy.unit ?? policy.$or[0].unit;
      expect({ unit, units }).toEqual({ unit, units: [unit] });
    }
  }
});

it('lets the supervision centre hear every breach and unsatisfied evaluation, and the joint conference every conference call', () => {
  const centre = to(contacts.of('supervision-centre')!.email[0]!)[0]!;
  expect(centre.Properties.Protocol).toBe('email');
  expect(centre.Properties.FilterPolicy.$or[1]).toEqual({ type: ['SIGN_OFF_OVERDUE', 'HANDLING_OVERDUE', 'EVALUATION_UNSATISFIED', 'CO_HANDLER_OVERDUE'] });
  const conference = to(`+86${contacts.of('joint-conference')!.sms[0]!}`)[0]!;
  expect(conference.Properties.FilterPolicy.$or[1]).toEqual({ type: ['CONFERENCE_REQUIRED'] });
});

it('calls an agency webhook over HTTPS with the same filter', () => {
  const [hook] = to(contacts.of('city-dept-public-security')!.webhook!);
  expect(hook!.Properties.Protocol).toBe('https');
  expect(hook!.Properties.FilterPolicy.unit).toEqual(['city-dept-public-security']);
});
