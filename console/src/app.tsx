import { useEffect, useState } from 'preact/hooks';
import { INTAKE_ROLES, REPORT_READERS, type Role } from '../../functions/domain/roles';
import { sessionStore, signOut } from './auth';
import { clockReadings, isVirtualClock, nowMs } from './clock';
import { useDirectory } from './directory';
import { HOME_LABEL, homeOf } from './homes';
import { setLang, useI18n, type MessageKey } from './i18n';
import { hrefOf, onLinkClick, routeStore } from './router';
import { useStore } from './store';
import { formatInstant } from './time';
import { BoardPage } from './pages/centre/board';
import { CasePage } from './pages/case/case-page';
import { CommunityHome } from './pages/community/home';
import { NewCasePage } from './pages/intake/new-case';
import { ReportPage } from './pages/report';
import { SignInPage } from './pages/sign-in';
import { StatisticsPage } from './pages/statistics/statistics-page';
import { TrackPage } from './pages/track/track-page';
import { UnitHome } from './pages/unit/home';
import { MediationHome } from './pages/mediation/home';
import { STATISTICS_READERS } from './pages/statistics/mediation-section';
import { Bell } from './components/bell';

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
  const role = session?.role as Role | undefined;
  return (
    <header class="top">
      <a class="brand" href={hrefOf({ page: 'home' })} onClick={onLinkClick}>
        <span class="brand-mark" aria-hidden="true" />
        <span>
          <strong>{t('app.title')}</strong>
          <small>{t('app.subtitle')}</small>
        </span>
      </a>
      {session && role ? (
        // Only what this role may use: the report for report readers, intake for intake roles.
        <nav aria-label={t('nav.main')}>
          <a href={hrefOf({ page: 'home' })} onClick={onLinkClick} aria-current={route.page === 'home' || route.page === 'case' ? 'page' : undefined} data-nav="home">
            {t(HOME_LABEL[homeOf(role)])}
          </a>
          {INTAKE_ROLES.includes(role) ? (
            <a href={hrefOf({ page: 'new-case' })} onClick={onLinkClick} aria-current={route.page === 'new-case' ? 'page' : undefined} data-nav="new-case">
              {t('nav.newCase')}
            </a>
          ) : null}
          {REPORT_READERS.includes(role) ? (
            <a href={hrefOf({ page: 'report' })} onClick={onLinkClick} aria-current={route.page === 'report' ? 'page' : undefined} data-nav="report">
              {t('nav.report')}
            </a>
          ) : null}
          {STATISTICS_READERS.includes(role) ? (
            <a href={hrefOf({ page: 'statistics' })} onClick={onLinkClick} aria-current={route.page === 'statistics' ? 'page' : undefined} data-nav="statistics">
              {t('nav.statistics')}
            </a>
          ) : null}
        </nav>
      ) : null}
      <div class="top-right">
        <ClockBadge />
        <button type="button" class="link" data-action="language" lang={lang === 'en' ? 'zh-CN' : 'en'} onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {t('nav.language')}
        </button>
        {session ? <Bell session={session} /> : null}
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

function Home({ role }: { role: string }) {
  const home = homeOf(role);
  if (home === 'community') return <CommunityHome />;
  if (home === 'unit') return <UnitHome />;
  if (home === 'mediation') return <MediationHome />;
  return <BoardPage />;
}

export function App() {
  const session = useStore(sessionStore);
  const route = useStore(routeStore);
  const { t, lang } = useI18n();
  useEffect(() => {
    document.title = route.page === 'track' ? t('track.title') : t('app.title');
  }, [lang, route.page]);
  // The citizens' page stands alone: no sign-in, no officers' header.
  if (route.page === 'track') return <TrackPage code={route.code} />;
  let page;
  if (!session) page = <SignInPage />;
  else if (route.page === 'case') page = <CasePage key={route.id} id={route.id} />;
  else if (route.page === 'new-case') page = <NewCasePage />;
  else if (route.page === 'report') page = <ReportPage month={route.month} />;
  else if (route.page === 'statistics') page = <StatisticsPage />;
  else page = <Home role={session.role} />;
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      {page}
    </>
  );
}
