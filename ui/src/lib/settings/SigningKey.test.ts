import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  signingKeyStatus: vi.fn(),
  setUpSigningKey: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { SigningKeyStatus } from '../api';
import { BEN_KEY, keyStatus } from '../decisions/fixture';
import { decisions } from '../decisions';
import { fixturePlan } from '../plan/fixture';
import SigningKey from './SigningKey.svelte';

const NO_KEY = keyStatus({ contact: null, name: null, fingerprint: null, keychain: 'noKey' });

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  decisions.clear();
});

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function shown(status: SigningKeyStatus) {
  api.signingKeyStatus.mockResolvedValue(status);
  const view = render(SigningKey, { plan: fixturePlan() });
  const q = <T extends Element = HTMLElement>(selector: string) =>
    document.body.querySelector<T>(selector) as T;
  const section = q('[data-testid="signing-key"]');
  await waitFor(() => expect(section.getAttribute('data-keychain')).toBe(status.keychain));
  return { ...view, q, section, state: () => text(q('[data-testid="keychain-state"]')) };
}

describe('SigningKey', () => {
  it('says a ready key is in the keychain and shows its fingerprint, selectable', async () => {
    const { q, state } = await shown(keyStatus());
    expect(state()).toBe('Ready: your signing key is in the OS keychain, for Ben Sample.');
    const print = q('[data-testid="key-fingerprint"]');
    expect(print.tagName).toBe('CODE');
    expect(text(print)).toBe(BEN_KEY);
    expect(q<HTMLSelectElement>('[data-testid="signing-contact"]').value).toBe('ben');
    expect(q('[data-testid="set-up-key"]')).toBeNull();
    expect(text(q('[data-testid="rotate-key"]'))).toBe('Rotate key…');
  });

  it('offers to rotate when the plan lists a key this keychain does not hold', async () => {
    const { q, state } = await shown(
      keyStatus({
        keychain: 'noKey',
        detail: `the plan lists ${BEN_KEY} for Ben Sample, but this profile has no key: rotate the key to make a new one here`,
      }),
    );
    expect(state()).toMatch(/^No key yet\./);
    expect(text(q('[data-testid="keychain-detail"]'))).toContain('rotate the key');
    expect(text(q('.fingerprint-line'))).toBe(`Key the plan lists for you ${BEN_KEY}`);
    expect(q('[data-testid="rotate-key"]')).not.toBeNull();
  });

  it('offers to set up a key when there is none, for the member chosen', async () => {
    const { q, state } = await shown(NO_KEY);
    expect(state()).toMatch(/^No key yet\. Set one up/);
    expect(q('[data-testid="key-fingerprint"]')).toBeNull();
    const contact = q<HTMLSelectElement>('[data-testid="signing-contact"]');
    expect(
      Array.from(contact.options)
        .filter((o) => !o.disabled)
        .map((o) => text(o)),
    ).toEqual(['Ada Example — CEO', 'Ben Sample — COO', 'Chloe Demo — CFO']);
    const setUp = q<HTMLButtonElement>('[data-testid="set-up-key"]');
    expect(setUp.disabled).toBe(true);
    await fireEvent.change(contact, { target: { value: 'ada' } });
    expect(setUp.disabled).toBe(false);

    api.setUpSigningKey.mockResolvedValue(
      keyStatus({ contact: 'ada', name: 'Ada Example', fingerprint: 'SHA256:new' }),
    );
    await fireEvent.click(setUp);
    const confirm = q('[data-testid="confirm"]');
    expect(text(confirm)).toContain('the private key goes into the OS keychain');
    expect(api.setUpSigningKey).not.toHaveBeenCalled();
    await fireEvent.click(confirm.querySelector('[data-action="confirm"]') as Element);
    await waitFor(() => expect(q('[data-testid="confirm"]')).toBeNull());
    expect(api.setUpSigningKey).toHaveBeenCalledWith('ada', false);
    expect(text(q('[data-testid="key-fingerprint"]'))).toBe('SHA256:new');
    expect(text(q('[data-testid="key-done"]'))).toContain('Key SHA256:new set up for Ada Example');
    expect(decisions.contact).toBe('ada');
  });

  it('rotates only after saying the old key is retired from now', async () => {
    api.setUpSigningKey.mockResolvedValue(keyStatus({ fingerprint: 'SHA256:rotated' }));
    const { q } = await shown(keyStatus());
    await fireEvent.click(q('[data-testid="rotate-key"]'));
    const confirm = q('[data-testid="confirm"]');
    expect(text(confirm)).toContain(`A new key replaces ${BEN_KEY} for Ben Sample`);
    expect(text(confirm)).toContain('The old key is retired from now');
    await fireEvent.click(confirm.querySelector('[data-action="confirm"]') as Element);
    await waitFor(() => expect(api.setUpSigningKey).toHaveBeenCalledWith('ben', true));
  });

  it('explains a locked keychain and shows a refusal in the question', async () => {
    api.setUpSigningKey.mockRejectedValue({
      code: 'refused',
      message: 'the keychain is locked (prompt dismissed): unlock it and try again',
    });
    const { q, state } = await shown(
      keyStatus({ keychain: 'locked', fingerprint: null, detail: 'prompt dismissed' }),
    );
    expect(state()).toBe('The keychain is locked: unlock your keyring and try again.');
    expect(text(q('[data-testid="keychain-detail"]'))).toBe('prompt dismissed');
    expect(q('[data-testid="check-keychain"]')).not.toBeNull();
    await fireEvent.click(q('[data-testid="set-up-key"]'));
    await fireEvent.click(q('[data-testid="confirm"] [data-action="confirm"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="confirm"] [role="alert"]'))).toBe(
        'the keychain is locked (prompt dismissed): unlock it and try again',
      ),
    );
  });

  it('explains an unavailable keychain with its detail, and cannot set up a key', async () => {
    const { q, state } = await shown(
      keyStatus({
        contact: null,
        fingerprint: null,
        keychain: 'unavailable',
        detail: 'no session bus',
      }),
    );
    expect(state()).toBe(
      'No keychain is available, so nothing can be signed on this computer. Muster never keeps the key anywhere else.',
    );
    expect(text(q('[data-testid="keychain-detail"]'))).toBe('no session bus');
    await fireEvent.change(q('[data-testid="signing-contact"]'), { target: { value: 'ben' } });
    expect(q<HTMLButtonElement>('[data-testid="set-up-key"]').disabled).toBe(true);
    api.signingKeyStatus.mockResolvedValue(NO_KEY);
    await fireEvent.click(q('[data-testid="check-keychain"]'));
    await waitFor(() =>
      expect(q<HTMLButtonElement>('[data-testid="set-up-key"]').disabled).toBe(false),
    );
  });
});
