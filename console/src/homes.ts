import type { Role } from '../../functions/domain/roles';
import type { MessageKey } from './i18n';

/**
 * Which home a role lands on after sign-in: a community its intake and cases, a handling unit
 * its queues, a mediation body the referrals it holds, the city-wide roles the city board.
 */
export type Home = 'community' | 'unit' | 'mediation' | 'centre';

const HOME_OF_ROLE: Record<Role, Home> = {
  community: 'community',
  agency: 'unit',
  'district-office': 'unit',
  'city-office': 'unit',
  conference: 'unit',
  supervisor: 'centre',
  auditor: 'centre',
  operator: 'centre',
  // A mediation committee works the cases referred to it: waiting for acceptance, being mediated, to be carried out.
  mediator: 'mediation',
};

export const homeOf = (role: string): Home => HOME_OF_ROLE[role as Role] ?? 'unit';

export const HOME_LABEL: Record<Home, MessageKey> = { community: 'nav.home.community', unit: 'nav.home.unit', mediation: 'nav.home.mediation', centre: 'nav.board' };
