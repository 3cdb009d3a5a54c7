// SSH public-key fingerprints (`SHA256:<base64>`, as `ssh-keygen -l` prints them) computed from a deploy key's
// public key, so the graph keeps a matchable fingerprint and never the key itself. Pure: runs in the browser too.
import { sha256 } from '@noble/hashes/sha2.js';

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

/**
 * `SHA256:<unpadded base64>` of an OpenSSH public key line (`ssh-ed25519 AAAA... comment`), or undefined
 * when the text is not one. The digest is over the decoded key blob, exactly as OpenSSH computes it.
 */
export function sshFingerprint(publicKey: string): string | undefined {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return undefined;
  let binary: string;
  try {
    binary = atob(blob);
  } catch {
    return undefined;
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return `SHA256:${toBase64(sha256(bytes)).replace(/=+$/, '')}`;
}
