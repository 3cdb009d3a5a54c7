// Recognises secret-shaped values so they never enter the graph, a snapshot, an export or a report.
// Importers drop known secret fields by name; this catches secrets pasted where a name or note belongs.

export interface SecretPattern { name: string; pattern: RegExp }

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { name: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { name: 'aws-secret-access-key', pattern: /aws.{0,20}?(?:secret|key).{0,5}?[=:]\s*["']?[A-Za-z0-9/+]{40}\b/i },
  { name: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { name: 'slack-token', pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}\b/ },
  { name: 'slack-webhook', pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { name: 'okta-api-token', pattern: /\bSSWS\s+[A-Za-z0-9_-]{30,}\b/ },
  { name: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'google-oauth-token', pattern: /\bya29\.[0-9A-Za-z_-]{20,}\b/ },
  { name: 'stripe-key', pattern: /\b[sr]k_live_[0-9A-Za-z]{16,}\b/ },
  { name: 'salesforce-session', pattern: /\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._]{40,}/ },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { name: 'private-key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  { name: 'url-credentials', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s:/@]{3,}@/i },
  // `key = value`, `key: value` or `key:"value"`; a bare `secret:name` (an AWS Secrets Manager ARN) is not one.
  { name: 'password-assignment', pattern: /(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|api[_-]?key|token)(?:\s*=\s*|\s*:\s+|\s*:\s*(?=["']))["']?(?!\[REDACTED)[^\s"',;]{8,}/i },
];

/** Property names whose values are secret by definition, whatever they look like. */
const SECRET_FIELD = /^(?:secret|secrettext|client_?secret|password|passwd|private_?key|access_?token|refresh_?token|id_?token|token|api_?key|apikey|key_?material|privatekeydata|session_?token|secret_?value)$/i;

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Name of the first secret pattern the text matches, or undefined. */
export function findSecret(text: string): string | undefined {
  for (const { name, pattern } of SECRET_PATTERNS) if (pattern.test(text)) return name;
  return undefined;
}

export const REDACTED = '[REDACTED]';

/** Replaces every secret-shaped run in `text` by a marker naming its type. */
export function redactText(text: string): { text: string; found: string[] } {
  const found: string[] = [];
  let out = text;
  for (const { name, pattern } of SECRET_PATTERNS) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    out = out.replace(global, () => {
      found.push(name);
      return `[REDACTED:${name}]`;
    });
  }
  return { text: out, found };
}
