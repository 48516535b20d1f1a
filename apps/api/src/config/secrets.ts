import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StoredSecrets {
  jwtAccessSecret: string;
}

/**
 * Outside production the token secret may be left unset: it is generated once and kept in
 * DATA_DIR, so tokens survive a restart and replicas sharing the folder agree on it.
 */
export function loadOrCreateSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: StoredSecrets = { jwtAccessSecret: randomBytes(48).toString('base64url') };
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch {
    // Another process wrote it first: use theirs.
    return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  }
  return secrets;
}
