import type { ApiCase } from '../../case-types';
import { useDirectory } from '../../directory';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../time';

/**
 * The intake receipt for the complainant (受理回执): title, category, responsible unit, due
 * dates, the tracking code and where to follow it. On screen only its print button shows;
 * the print stylesheet prints the receipt alone.
 */
export function Receipt({ view }: { view: ApiCase }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const code = view.trackingCode ?? '';
  // The short address at the root (/track), easier to type from paper than the console's.
  const trackUrl = `${location.origin}/track`;
  return (
    <div class="receipt-area">
      <button type="button" class="print-button" data-action="print-receipt" onClick={() => window.print()}>
        {t('print.button')}
      </button>
      <section class="receipt" aria-hidden="true" data-receipt>
        <h2>
          {t('app.subtitle')} · {t('print.title')}
        </h2>
        <p class="receipt-title">{view.title}</p>
        <dl>
          <dt>{t('case.category')}</dt>
          <dd>{directory?.categoryName(view.category, lang) ?? view.category}</dd>
          <dt>{t('print.unit')}</dt>
          <dd>{directory?.unitName(view.assignedUnit, lang) ?? view.assignedUnit}</dd>
          <dt>{t('track.acceptedAt')}</dt>
          <dd>{formatInstant(view.createdAt)}</dd>
          {view.signOffDueAt ? (
            <>
              <dt>{t('deadline.signOffDueAt')}</dt>
              <dd>{formatInstant(view.signOffDueAt)}</dd>
            </>
          ) : null}
          {view.resolveDueAt ? (
            <>
              <dt>{t('deadline.resolveDueAt')}</dt>
              <dd>{formatInstant(view.resolveDueAt)}</dd>
            </>
          ) : null}
          <dt>{t('case.trackingCode')}</dt>
          <dd class="receipt-code">{code}</dd>
        </dl>
        <p>{t('print.how', { url: trackUrl })}</p>
      </section>
    </div>
  );
}
