import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it, vi } from 'vitest';

import Lazy from './Lazy.svelte';

type Module = { greeting: string };

const page = createRawSnippet((m: () => Module) => ({
  render: () => `<p data-testid="page">${m().greeting}</p>`,
}));

describe('Lazy', () => {
  it('draws the page once its code is in, and nothing before', async () => {
    let arrive: (m: Module) => void = () => undefined;
    const load = vi.fn(() => new Promise<Module>((resolve) => (arrive = resolve)));
    render(Lazy<Module>, { props: { load, children: page } });
    expect(screen.queryByTestId('page')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    arrive({ greeting: 'Potential issues' });
    expect((await screen.findByTestId('page')).textContent).toBe('Potential issues');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('says the page could not be opened, changes nothing, and tries again when asked', async () => {
    const load = vi
      .fn<() => Promise<Module>>()
      .mockRejectedValueOnce(new TypeError('Importing a module script failed.'))
      .mockResolvedValueOnce({ greeting: 'Response procedures' });
    render(Lazy<Module>, { props: { load, children: page } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This page could not be opened');
    expect(alert.textContent).toContain('Importing a module script failed.');
    expect(alert.textContent).toContain('Nothing was changed');
    expect(screen.queryByTestId('page')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await screen.findByTestId('page')).textContent).toBe('Response procedures');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
