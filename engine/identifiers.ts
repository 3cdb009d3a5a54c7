// Credential identifiers (an AWS access key id, a key fingerprint): what a responder searches for first. They name
// a credential without granting anything, so they are kept and matched, never redacted (docs/security.md).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** An AWS access key id: a long-term (AKIA), temporary (ASIA) or other key-id prefix and 16 or more characters. */
export const AWS_ACCESS_KEY_ID = /^(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{12,124}$/;

/** The fingerprint importers keep for a key id instead of the key id itself: `sha256:` and 16 hex digits. */
export function keyIdFingerprint(keyId: string): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(keyId.trim()))).slice(0, 16)}`;
}

/**
 * The fingerprints a typed reference can stand for: the text itself (a fingerprint pasted from a report) and, when
 * it is shaped like a key id, the fingerprint of that key id. Empty when the text cannot name a credential.
 */
export function identifierFingerprints(reference: string): string[] {
  const text = reference.trim();
  if (text === '') return [];
  return AWS_ACCESS_KEY_ID.test(text) ? [text, keyIdFingerprint(text)] : [text];
}

/** True when a node with this fingerprint is the credential `reference` identifies (case-sensitive: ids are). */
export function identifiesCredential(fingerprint: string | undefined, reference: string): boolean {
  if (fingerprint === undefined || fingerprint === '') return false;
  return identifierFingerprints(reference).includes(fingerprint);
}
