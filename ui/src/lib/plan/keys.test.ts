import { describe, expect, it } from 'vitest';

import { fingerprint, retiredFrom } from './keys';

// Written by `ssh-keygen -t ed25519 -C ada@example`; `ssh-keygen -l` printed the fingerprint.
const ADA =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnNQZjo3LIzfqVOJxNvtlMdR3YMpAOOxcMQt/EKW1up ada@example';

describe('signing keys', () => {
  it('prints the fingerprint ssh-keygen prints', async () => {
    expect(await fingerprint(ADA)).toBe('SHA256:GMK64jesVDTwBg+oRQwReJG/0lzWRQm4BQPxBT3QkRg');
    expect(await fingerprint(ADA.replace(' ada@example', ''))).toBe(
      'SHA256:GMK64jesVDTwBg+oRQwReJG/0lzWRQm4BQPxBT3QkRg',
    );
  });

  it('gives no fingerprint for what is not a key line', async () => {
    for (const line of ['', 'ssh-ed25519', 'ssh-ed25519 not-base64!', 'ssh-ed25519 AAA=A']) {
      expect(await fingerprint(line), line).toBeNull();
    }
  });

  it('shows a retirement instant to the minute, in UTC', () => {
    expect(retiredFrom('2026-11-01T09:00:00Z')).toBe('2026-11-01 09:00 UTC');
    expect(retiredFrom('2026-11-01T09:00:30.5Z')).toBe('2026-11-01 09:00 UTC');
    expect(retiredFrom('+10000-01-01T00:00:00Z')).toBe('+10000-01-01T00:00:00Z');
  });
});
