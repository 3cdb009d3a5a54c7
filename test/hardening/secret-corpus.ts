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

/** Builds the corpus; `seed` varies the random parts (several corpora never share a marker). */
export function secretCorpus(seed = 1): PlantedSecret[] {
  const next = random(seed);
  const pick = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const join = (...parts: string[]): string => parts.join('');
  const secrets: PlantedSecret[] = [];
  const add = (type: string, marker: string, build: (marker: string) => string) => secrets.push({ type, marker, value: build(marker) });

  add('aws-secret-access-key', pick(ALNUM, 40), (m) => join('aws_secret', '_access_key = ', m));
  add('github-token', pick(ALNUM, 36), (m) => join('gh', 'p_', m));
  add('github-fine-grained-token', pick(ALNUM, 60), (m) => join('github', '_pat_', '11A', m));
  add('slack-bot-token', pick(DIGITS, 12), (m) => join('xo', 'xb-', m, '-', '4821', '-', 'Qz'));
  add('slack-webhook', pick(ALNUM, 24), (m) => join('https://hooks.', 'slack.com/services/', 'T0', pick(UPPER, 6), '/B0', pick(UPPER, 6), '/', m));
  add('okta-api-token', pick(ALNUM, 42), (m) => join('SS', 'WS ', m));
  add('google-api-key', pick(ALNUM, 35), (m) => join('AI', 'za', m));
  add('google-oauth-token', pick(ALNUM, 40), (m) => join('ya', '29.', m));
  add('stripe-key', pick(ALNUM, 24), (m) => join('sk', '_live_', m));
  add('jwt', pick(ALNUM, 30), (m) => join('ey', 'JhbGciOiJIUzI1NiJ9', '.', 'ey', 'Jzd', m, '.', pick(ALNUM, 20)));
  add('private-key', pick(ALNUM, 48), (m) => join('-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIE', m, '\n-----END RSA ', 'PRIVATE KEY-----'));
  add('postgres-url', pick(ALNUM, 18), (m) => join('postgres://etl:', m, '@db.internal:5432/prod'));
  add('connection-string-password', pick(ALNUM, 18), (m) => join('Server=db;User Id=sa;Pass', 'word=', m, ';'));
  add('salesforce-session', pick(ALNUM, 48), (m) => join('00D', pick(ALNUM, 15), '!', m));
  return secrets;
}

/** Every marker found in `text`, with the type of the secret it came from. */
export function leaks(text: string, corpus: readonly PlantedSecret[]): string[] {
  return corpus.filter((secret) => text.includes(secret.marker)).map((secret) => secret.type);
}
