import { useEffect, useState } from 'preact/hooks';
import { sessionStore, signOut } from './auth';
import { clockReadings, isVirtualClock, nowMs } from './clock';
import { useDirectory } from './directory';
import { setLang, useI18n, type MessageKey } from './i18n';
import { hrefOf, onLinkClick, routeStore } from './router';
import { useStore } from './store';
import { formatInstant } from './time';
import { BoardPage } from './pages/board';
import { CasePage } from './pages/case';
import { ReportPage } from './pages/report';
import { SignInPage } from './pages/sign-in';

/** The virtual clock, ticking in the header (local stack only). */
function ClockBadge() {
  const { t } = useI18n();
  const [, setTick] = useState(0);
  useStore(clockReadings);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!isVirtualClock()) return null;
  return (
    <span class="clock" data-virtual-clock>
      <small>{t('common.virtualClock')}</small> {formatInstant(nowMs())}
    </span>
  );
}

function Header() {
  const { t, lang } = useI18n();
  const session = useStore(sessionStore);
  const route = useStore(routeStore);
  const directory = useDirectory();
  return (
    <header class="top">
      <a class="brand" href={hrefOf({ page: 'board' })} onClick={onLinkClick}>
        <span class="brand-mark" aria-hidden="true" />
        <span>
          <strong>{t('app.title')}</strong>
          <small>{t('app.subtitle')}</small>
        </span>
      </a>
      {session ? (
        <nav>
          <a href={hrefOf({ page: 'board' })} onClick={onLinkClick} aria-current={route.page === 'board' || route.page === 'case' ? 'page' : undefined}>
            {t('nav.board')}
          </a>
          <a href={hrefOf({ page: 'report' })} onClick={onLinkClick} aria-current={route.page === 'report' ? 'page' : undefined}>
            {t('nav.report')}
          </a>
        </nav>
      ) : null}
      <div class="top-right">
        <ClockBadge />
        <button type="button" class="link" data-action="language" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {t('nav.language')}
        </button>
        {session ? (
          <>
            <span class="who" data-unit={session.unit} data-role={session.role}>
              {t('signIn.as', { unit: directory?.unitName(session.unit, lang) ?? session.unit, role: t(`role.${session.role}` as MessageKey) })}
            </span>
            <button type="button" class="link" data-action="sign-out" onClick={() => signOut()}>
              {t('nav.signOut')}
            </button>
          </>
        ) : null}
      </div>
    </header>
  );
}

export function App() {
  const session = useStore(sessionStore);
  const route = useStore(routeStore);
  const { t, lang } = useI18n();
  useEffect(() => {
    document.title = t('app.title');
  }, [lang]);
  let page;
  if (!session) page = <SignInPage />;
  else if (route.page === 'case') page = <CasePage key={route.id} id={route.id} />;
  else if (route.page === 'report') page = <ReportPage month={route.month} />;
  else page = <BoardPage />;
  return (
    <>
      <Header />
      {page}
    </>
  );
}
