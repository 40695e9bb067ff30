/**
 * The SMS provider contract (docs/notifications.md, "Regions without SNS SMS"), and its adapter
 * for SNS SMS. An adapter sends one text to one number and answers:
 * - `sent` once the provider has accepted it;
 * - `refused` with the reason when the provider rejects the number for good (recorded on the
 *   notification; the case goes on, nothing is retried);
 * - `unavailable` when no provider can send from this deployment (parked for the operator);
 * and throws for a passing failure (throttled, unreachable), which the sweep retries with back-off.
 * It must hand `reference` (the notification id) to the provider as its client reference where
 * the provider has one (Aliyun SMS: `OutId`), so a resend after a crash can be traced and, where
 * the provider deduplicates, is not a second message.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { sns } from '../commons/clients/sns';

export interface SmsMessage {
  /** A mainland mobile number, with or without +86. */
  readonly to: string;
  readonly text: string;
  readonly reference: string;
}

export type SmsResult = { readonly status: 'sent' } | { readonly status: 'refused' | 'unavailable'; readonly reason: string };

export interface SmsProvider {
  send(message: SmsMessage): Promise<SmsResult>;
}

export const e164 = (phone: string): string => (phone.startsWith('+') ? phone : `+86${phone}`);

/** SNS's errors for a number it will never deliver to: the number is refused, not retried. */
const REFUSED_ERRORS = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'OptedOutException']);

/** SNS SMS (partition aws): a transactional SMS published straight to the phone number. */
export const snsSms = (send: (command: PublishCommand) => Promise<unknown> = (command) => sns().send(command)): SmsProvider => ({
  async send(message) {
    try {
      await send(
        new PublishCommand({
          PhoneNumber: e164(message.to),
          Message: message.text,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
      return { status: 'sent' };
    } catch (error) {
      const name = (error as Error).name;
      if (REFUSED_ERRORS.has(name)) return { status: 'refused', reason: `the provider refused the number ${message.to}: ${name}` };
      throw error;
    }
  },
});

/** No provider in this deployment (China's regions until an adapter is configured): every SMS is parked with the reason. */
export const noSmsProvider = (region: string): SmsProvider => ({
  send: async () => ({ status: 'unavailable', reason: `no SMS provider is configured in ${region} (SNS has no SMS there; docs/notifications.md)` }),
});
