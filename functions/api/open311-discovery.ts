import { List } from '../open311/document';
import { open311Handler } from '../open311/http';
import { OPEN311_CHANGESET, open311BaseUrl } from '../open311/discovery';

/**
 * GET /open311/v2/discovery.{json,xml}: where the GeoReport v2 endpoint is, which formats it
 * speaks, and how to get an api_key. Public; reads nothing stored.
 */
export const handler = open311Handler(async ({ event, lang }) => ({
  status: 200,
  document: {
    root: 'discovery',
    value: {
      changeset: OPEN311_CHANGESET,
      contact: lang === 'en' ? 'Supervision centre of the linked resolution system (the city hotline)' : '社会矛盾纠纷联动化解监管中心（市民热线）',
      key_service:
        lang === 'en'
          ? 'api_keys are issued to a community or to the city hotline by the operators (npm run open311-key -- --unit <id>); see docs/open311.md.'
          : 'api_key 由运维人员向社区或市民热线签发（npm run open311-key -- --unit <单位编号>），详见 docs/open311.md。',
      endpoints: new List('endpoint', [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: open311BaseUrl(event),
          changeset: OPEN311_CHANGESET,
          type: 'production',
          formats: new List('format', ['text/xml', 'application/json']),
        },
      ]),
    },
  },
}));
