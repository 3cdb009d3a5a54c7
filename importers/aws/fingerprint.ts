// Fingerprints of AWS access key ids: a synchronous SHA-256 (importers stay pure and run in the browser,
// where Web Crypto only hashes asynchronously), so a key id never needs to be stored to be recognised.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** SHA-256 of the UTF-8 encoding of `text`, as lower-case hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * The fingerprint blastmap keeps for an access key id: `sha256:` and the first 16 hex digits of its hash.
 * Anyone holding the key id (a scanner that found it in a support case) computes the same value.
 */
export function accessKeyFingerprint(accessKeyId: string): string {
  return `sha256:${sha256Hex(accessKeyId.trim()).slice(0, 16)}`;
}

/** `AKIA…WXYZ`: the prefix that tells long-term (AKIA) from temporary (ASIA) keys, and the last four characters. */
export function accessKeyHint(accessKeyId: string): string {
  const id = accessKeyId.trim();
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}
