import type { CoHandler } from '../../../../functions/domain/case';
import type { ApiCase } from '../../case-types';
import { useDirectory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { formatInstant } from '../../time';
import { LightBadge, Phone, Section, TimeLeft } from '../../components/common';

/**
 * 协办: each co-handling unit's part as the API keeps it — its status, its own due dates and
 * light, the task, and the reply, the reason it was given back or why it was waived. Shown to
 * everyone who reads the case; what each may do about it comes from `allowedActions`.
 */
function Part({ part, now }: { part: CoHandler; now: number }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const open = part.status === 'requested' || part.status === 'signed-off';
  // The window that runs now: sign-off until it is signed off, then the reply.
  const dueAt = part.status === 'requested' ? part.signOffDueAt : part.dueAt;
  return (
    <li class={`co-part status-${part.status}`} data-co-handler={part.unit} data-status={part.status}>
      <p class="co-head">
        <strong>{directory?.unitName(part.unit, lang) ?? part.unit}</strong> <span class="tag co-status">{t(`co.status.${part.status}` as MessageKey)}</span>{' '}
        {open ? <LightBadge light={part.light} /> : null}
      </p>
      <dl class="fields">
        <dt>{t('co.task')}</dt>
        <dd class="co-task">
          {part.task}
          <br />
          <span class="muted">
            {t('co.requested', { time: formatInstant(part.requestedAt), days: part.workingDays })}
            {part.sharePersonalData ? ` · ${t('co.personalData')}` : ''}
          </span>
        </dd>
        <dt>{t('co.signOffDue')}</dt>
        <dd>
          {formatInstant(part.signOffDueAt)}
          {part.signedOffAt ? <span class="muted"> · {t('co.status.signed-off')} {formatInstant(part.signedOffAt)}</span> : null}
        </dd>
        <dt>{t('co.dueAt')}</dt>
        <dd>
          {formatInstant(part.dueAt)}
          {open ? (
            <>
              {' '}
              · <TimeLeft dueMs={Date.parse(dueAt)} now={now} />
            </>
          ) : null}
        </dd>
        {part.handler ? (
          <>
            <dt>{t('co.handler')}</dt>
            <dd>
              {part.handler.name}
              {part.handler.phone ? (
                <>
                  {' · '}
                  <Phone number={part.handler.phone} />
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {part.reply ? (
          <>
            <dt>{t('co.reply')}</dt>
            <dd class="co-reply">
              {part.reply.summary} <span class="muted">· {formatInstant(part.reply.at)}</span>
            </dd>
          </>
        ) : null}
        {part.returnReason ? (
          <>
            <dt>{t('co.returnReason')}</dt>
            <dd class="co-return">{part.returnReason}</dd>
          </>
        ) : null}
        {part.waiver ? (
          <>
            <dt>{t('co.waiver')}</dt>
            <dd class="co-waiver">
              {part.waiver.note} <span class="muted">· {formatInstant(part.waiver.at)}</span>
            </dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}

export function CoHandlers({ view, now }: { view: ApiCase; now: number }) {
  const { t } = useI18n();
  const parts = view.coHandlers ?? [];
  if (!parts.length) return null;
  return (
    <Section title={t('co.title')} class="co-handlers" id="co-handlers">
      <ul class="co-parts" data-count={parts.length}>
        {parts.map((part) => (
          <Part key={part.unit} part={part} now={now} />
        ))}
      </ul>
    </Section>
  );
}
