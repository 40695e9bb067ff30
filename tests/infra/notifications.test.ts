import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type Synthesized, synthesize } from './synth';
import contactsJson from '../../config/contacts.json';
import { loadContacts } from '../../functions/domain/notifications/contacts';

/*
 * Each unit's email subscriptions on the alert topic receive only the alerts that are for that
 * unit: their filter policies, per unit subscription, on the alerts' `audience` attribute (the
 * units an alert tells, from the notification rules). SMS and webhooks go through the dispatcher
 * (docs/notifications.md), so there is no SMS or HTTPS subscription to tell a unit twice.
 */
let nested: Template;
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
  nested = Template.fromStack(synthesized.stack.unitNotifications);
});
afterAll(() => synthesized?.dispose());

const contacts = loadContacts(contactsJson);
type Subscription = { Properties: { Protocol: string; Endpoint: string; FilterPolicy?: any; RedrivePolicy?: any; TopicArn: unknown } };
const subscriptions = () => Object.values(nested.findResources('AWS::SNS::Subscription')) as Subscription[];
const to = (endpoint: string) => subscriptions().filter((s) => s.Properties.Endpoint === endpoint);

it('gives every email address of every unit a subscription whose filter policy is that unit alone, with a dead-letter queue', () => {
  const addresses = contacts.units.flatMap((unit) => contacts.of(unit)!.email.map((address) => [unit, address] as const));
  expect(addresses.length).toBeGreaterThan(10);
  expect(subscriptions()).toHaveLength(addresses.length);
  for (const [unit, address] of addresses) {
    const [subscription] = to(address);
    expect({ unit, protocol: subscription!.Properties.Protocol, policy: subscription!.Properties.FilterPolicy }).toEqual({ unit, protocol: 'email', policy: { audience: [unit] } });
    expect(subscription!.Properties.RedrivePolicy.deadLetterTargetArn).toBeDefined();
  }
});

it('has no SMS or HTTPS subscription: the dispatcher sends the templated SMS and calls webhooks, once per id', () => {
  expect(new Set(subscriptions().map((s) => s.Properties.Protocol))).toEqual(new Set(['email']));
});

it('subscribes to the application’s alert topic, whose alerts carry the audience the policies filter on', () => {
  const [parameter] = Object.entries(synthesized.template.findResources('AWS::CloudFormation::Stack')[synthesized.stack.getLogicalId(synthesized.stack.unitNotifications.nestedStackResource! as CfnElement)]!.Properties.Parameters).filter(([name]) => /AlertsTopic/.test(name));
  expect(parameter![1]).toEqual({ Ref: synthesized.logicalId(synthesized.stack.alerts.topic) });
  // The supervision centre, the originating community and the joint conference hear their alerts through `audience`, whichever unit the alert is about.
  const centre = to(contacts.of('supervision-centre')!.email[0]!)[0]!;
  expect(centre.Properties.FilterPolicy).toEqual({ audience: ['supervision-centre'] });
});

it('alarms when its dead-letter queue holds a message (an email SNS could not deliver)', () => {
  const queue = synthesized.stack.unitNotifications.deadLetters;
  const alarms = Object.values(synthesized.nestedResources(synthesized.stack.operations.alarmsStack))
    .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
    .map((alarm) => alarm.Properties);
  const named = alarms.filter((alarm) => /DeadLetters-UnitNotificationsDeadLetters$/.test(alarm.AlarmName));
  expect(named).toHaveLength(1);
  // The queue's name, an output of the notifications' nested stack.
  expect(JSON.stringify(named[0].Dimensions)).toContain(synthesized.stack.getLogicalId(synthesized.stack.unitNotifications.nestedStackResource! as CfnElement));
  expect(queue.deadLetterQueue).toBeUndefined();
});
