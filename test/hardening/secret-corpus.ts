// Fake secret-shaped values for the leak tests, assembled at run time from fragments so that no secret-shaped
// literal sits in the repository (its pre-commit check greps for real-looking keys). None of them is real.

export interface PlantedSecret {
  type: string;
  value: string;
  /** The random part of the value: it must never appear in any output, whatever the redaction left around it. */
  marker: string;
}

/** A small seeded generator (mulberry32): the corpus is the same on every run, and distinct from every fixture. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = `${UPPER}${UPPER.toLowerCase()}${DIGITS}`;

/** Credential identifiers: they name a credential without granting anything, and must stay searchable. */
export function identifierCorpus(): { type: string; value: string }[] {
  return [
    { type: 'aws-access-key-id', value: ['AK', 'IA', 'CVDEXAMPLE4K7Q2X'].join('') },
    { type: 'aws-temporary-key-id', value: ['AS', 'IA', 'CVDEXAMPLE9Z8Y7X'].join('') },
    { type: 'key-fingerprint', value: 'sha256:0f4c2a9e77b1d3c5' },
    { type: 'token-hint', value: 'ghp_…7Q2X' },
  ];
}

/** Builds the corpus; `seed` varies the random parts (several corpora never share a marker). */
export function secretCorpus(seed = 1): PlantedSecret[] {
  const next = random(seed);
  const pick = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const join = (...parts: string[]): string => parts.join('');
  const secrets: PlantedSecret[] = [];
  const add = (type: string, marker: string, build: (marker: string) => string) => secrets.push({ type, marker, value: build(marker) });

  const HEX = '0123456789abcdef';
  const B64 = `${ALNUM}+/`;
  const WORD = `${ALNUM}_-`;
  const pem = (label: string, body: string) => join('-----BEGIN ', label, ' KEY-----\n', body, '\n-----END ', label, ' KEY-----');
  add('aws-secret-access-key', pick(ALNUM, 40), (m) => join('aws_secret', '_access_key = ', m));
  add('github-token', pick(ALNUM, 36), (m) => join('gh', 'p_', m));
  add('github-oauth-token', pick(ALNUM, 36), (m) => join('gh', 'o_', m));
  add('github-app-token', pick(ALNUM, 36), (m) => join('gh', 's_', m));
  add('github-refresh-token', pick(ALNUM, 36), (m) => join('gh', 'r_', m));
  add('github-fine-grained-token', pick(ALNUM, 60), (m) => join('github', '_pat_', '11A', m));
  add('slack-bot-token', pick(DIGITS, 12), (m) => join('xo', 'xb-', m, '-', '4821', '-', 'Qz'));
  add('slack-user-token', pick(ALNUM, 32), (m) => join('xo', 'xp-', pick(DIGITS, 12), '-', pick(DIGITS, 12), '-', pick(DIGITS, 12), '-', m));
  add('slack-app-token', pick(HEX, 40), (m) => join('xa', 'pp-1-A0', pick(UPPER + DIGITS, 9), '-', pick(DIGITS, 13), '-', m));
  add('slack-refresh-token', pick(ALNUM, 40), (m) => join('xo', 'xe-1-', m));
  add('slack-webhook', pick(ALNUM, 24), (m) => join('https://hooks.', 'slack.com/services/', 'T0', pick(UPPER, 6), '/B0', pick(UPPER, 6), '/', m));
  add('okta-api-token', pick(ALNUM, 42), (m) => join('SS', 'WS ', m));
  add('google-api-key', pick(ALNUM, 35), (m) => join('AI', 'za', m));
  add('google-oauth-token', pick(ALNUM, 40), (m) => join('ya', '29.', m));
  add('google-refresh-token', pick(WORD, 60), (m) => join('1/', '/0', m));
  add('stripe-key', pick(ALNUM, 24), (m) => join('sk', '_live_', m));
  add('stripe-restricted-key', pick(ALNUM, 24), (m) => join('rk', '_live_', m));
  add('jwt', pick(ALNUM, 30), (m) => join('ey', 'JhbGciOiJIUzI1NiJ9', '.', 'ey', 'Jzd', m, '.', pick(ALNUM, 20)));
  add('private-key', pick(ALNUM, 48), (m) => pem(join('RSA ', 'PRIVATE'), join('MIIE', m)));
  add('openssh-private-key', pick(B64, 70), (m) => pem(join('OPENSSH ', 'PRIVATE'), join('b3Bl', m)));
  add('pgp-private-key', pick(B64, 70), (m) => join('-----BEGIN PGP ', 'PRIVATE KEY BLOCK-----\n\nlQOY', m, '\n-----END PGP ', 'PRIVATE KEY BLOCK-----'));
  add('truncated-private-key', pick(B64, 64), (m) => join('-----BEGIN EC ', 'PRIVATE KEY-----\nMHcC', m));
  add('postgres-url', pick(ALNUM, 18), (m) => join('postgres://etl:', m, '@db.internal:5432/prod'));
  add('redis-url-no-user', pick(ALNUM, 18), (m) => join('redis://:', m, '@cache.internal:6379/0'));
  add('mongodb-srv-url', pick(ALNUM, 18), (m) => join('mongodb+srv://app:', m, '@cluster0.example.net/db'));
  add('connection-string-password', pick(ALNUM, 18), (m) => join('Server=db;User Id=sa;Pass', 'word=', m, ';'));
  add('salesforce-session', pick(ALNUM, 48), (m) => join('00D', pick(ALNUM, 15), '!', m));
  add('short-password', pick(ALNUM, 7), (m) => join('pass', 'word: ', m));
  add('json-client-secret', pick(ALNUM, 32), (m) => join('{"client', '_secret": "', m, '"}'));
  add('camel-client-secret', pick(ALNUM, 32), (m) => join('client', 'Secret: ', m));
  add('camel-access-token', pick(ALNUM, 32), (m) => join('access', 'Token=', m));
  add('json-secret-access-key', pick(B64, 40), (m) => join('"Secret', 'AccessKey": "', m, '"'));
  add('env-password', pick(ALNUM, 20), (m) => join('DB_PASS', 'WORD=', m));
  add('yaml-api-key', pick(ALNUM, 32), (m) => join('api', '_key: ', m));
  add('azure-client-secret', pick(WORD, 34).replace(/-/g, '_'), (m) => join(pick(ALNUM, 3), '8', 'Q~', m));
  add('npm-token', pick(ALNUM, 36), (m) => join('np', 'm_', m));
  add('gitlab-pat', pick(ALNUM, 20), (m) => join('gl', 'pat-', m));
  add('openai-key', pick(ALNUM, 58), (m) => join('sk-', 'proj-', m, 'T3Blbk', 'FJ', pick(ALNUM, 58)));
  add('anthropic-key', pick(ALNUM, 93), (m) => join('sk-', 'ant-api03-', m, 'AA'));
  add('sendgrid-key', pick(ALNUM, 43), (m) => join('S', 'G.', pick(ALNUM, 22), '.', m));
  add('atlassian-api-token', pick(ALNUM, 180), (m) => join('ATA', 'TT3', m));
  add('shopify-token', pick(HEX, 32), (m) => join('shp', 'at_', m));
  add('vault-token', pick(ALNUM, 90), (m) => join('hv', 's.', m));
  add('digitalocean-token', pick(HEX, 64), (m) => join('do', 'p_v1_', m));
  add('pypi-token', pick(WORD, 70), (m) => join('pypi-', 'AgEIcHlwaS5vcmc', m));
  add('huggingface-token', pick(UPPER + UPPER.toLowerCase(), 34), (m) => join('h', 'f_', m));
  add('linear-key', pick(ALNUM, 40), (m) => join('lin', '_api_', m));
  add('postman-key', pick(HEX, 34), (m) => join('PM', 'AK-', pick(HEX, 24), '-', m));
  add('databricks-token', pick(HEX, 32), (m) => join('da', 'pi', m));
  add('newrelic-user-key', pick(UPPER + DIGITS, 27), (m) => join('NEW_RELIC', '_API_KEY=NR', 'AK-', m));
  add('pulumi-token', pick(HEX, 40), (m) => join('pu', 'l-', m));
  add('grafana-cloud-token', pick(B64, 40), (m) => join('gl', 'c_', m, '='));
  add('age-secret-key', pick('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58), (m) => join('AGE-SECRET', '-KEY-1', m));
  add('doppler-token', pick(ALNUM, 43), (m) => join('dp', '.pt.', m));
  add('flyio-token', pick(ALNUM, 43), (m) => join('fo', '1_', m));
  add('sentry-user-token', pick(HEX, 64), (m) => join('sntr', 'yu_', m));
  add('twilio-key', pick(HEX, 32), (m) => join('S', 'K', m));
  add('mailgun-key', pick(HEX, 32), (m) => join('mailgun_api', '_key = key-', m));
  add('heroku-key', pick(HEX, 12), (m) => join('heroku_api', '_key = ', pick(HEX, 8), '-', pick(HEX, 4), '-', pick(HEX, 4), '-', pick(HEX, 4), '-', m));
  add('telegram-bot-token', pick(WORD, 35), (m) => join('telegram_bot', '_token = ', pick(DIGITS, 10), ':A', m));
  add('url-with-token-param', pick(ALNUM, 32), (m) => join('https://api.example.net/v1/export?access', '_token=', m));
  // Wrapped in base64 (a Basic authorization header, a Kubernetes secret's data, a base64url config value): the marker
  // is a stretch of the encoding that only the random part of the text determines.
  const wrapped = (type: string, known: string, random: string, after = '', outer = (encoded: string) => encoded, url = false) => {
    let encoded = btoa(join(known, random, after));
    if (url) encoded = encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const from = Math.ceil(known.length / 3) * 4;
    secrets.push({ type, marker: encoded.slice(from, from + Math.floor((random.length - 3) / 3) * 4), value: outer(encoded) });
  };
  wrapped('base64-basic-auth', 'svc-export:', pick(ALNUM, 24), '', (encoded) => join('Authorization: Basic ', encoded));
  wrapped('base64-github-token', join('gh', 'p_'), pick(ALNUM, 36));
  wrapped('base64-k8s-secret-json', join('{"auths": {"registry.example": {"pass', 'word": "'), pick(ALNUM, 30), '"}}}');
  wrapped('base64url-slack-token', join('xo', 'xb-', pick(DIGITS, 12), '-', pick(DIGITS, 12), '-'), pick(ALNUM, 24), '', (encoded) => encoded, true);
  wrapped('base64-private-key', join('-----BEGIN EC ', 'PRIVATE KEY-----\nMHcC'), pick(B64, 64), join('\n-----END EC ', 'PRIVATE KEY-----\n'));
  return secrets;
}

/** Every marker found in `text`, with the type of the secret it came from. */
export function leaks(text: string, corpus: readonly PlantedSecret[]): string[] {
  return corpus.filter((secret) => text.includes(secret.marker)).map((secret) => secret.type);
}
