import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ getProfile: vi.fn(), setProfileName: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { fixtureOutline, fixturePlan, outlineOf } from '../plan/fixture';
import IdentityBanner from './IdentityBanner.svelte';

beforeEach(() => {
  api.getProfile.mockReset();
  api.setProfileName.mockReset();
});

describe('IdentityBanner', () => {
  it('asks an unnamed profile who its person is, offering the plan’s people, and saves it', async () => {
    api.getProfile.mockResolvedValue({ name: 'Muster user' });
    api.setProfileName.mockResolvedValue({ name: 'Ada Example' });
    const { getByTestId, queryByTestId, container } = render(IdentityBanner, {
      people: fixtureOutline().people,
    });
    await waitFor(() => expect(queryByTestId('identity-banner')).not.toBeNull());
    const offered = Array.from(container.querySelectorAll('select option')).map((o) =>
      o.getAttribute('value'),
    );
    expect(offered).toContain('Ada Example');
    // Picked from the plan's people, or typed.
    await fireEvent.change(getByTestId('identity-pick'), { target: { value: 'Ben Sample' } });
    expect((getByTestId('identity-name') as HTMLInputElement).value).toBe('Ben Sample');
    await fireEvent.input(getByTestId('identity-name'), { target: { value: ' Ada Example ' } });
    await fireEvent.click(getByTestId('identity-save'));
    await waitFor(() => expect(api.setProfileName).toHaveBeenCalledWith('Ada Example'));
    await waitFor(() => expect(queryByTestId('identity-banner')).toBeNull());
  });

  it('says nothing to a named profile, and Later hides it', async () => {
    api.getProfile.mockResolvedValue({ name: 'Ben Sample' });
    const named = render(IdentityBanner, { people: fixtureOutline().people });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(named.queryByTestId('identity-banner')).toBeNull();
    named.unmount();
    api.getProfile.mockResolvedValue({ name: 'Muster user' });
    const { queryByTestId, getByText } = render(IdentityBanner, {
      people: fixtureOutline().people,
    });
    await waitFor(() => expect(queryByTestId('identity-banner')).not.toBeNull());
    await fireEvent.click(getByText('Later'));
    expect(queryByTestId('identity-banner')).toBeNull();
    expect(api.setProfileName).not.toHaveBeenCalled();
  });

  it('offers a name two people share once, and still draws (a large plan has such names)', async () => {
    const plan = fixturePlan();
    const twin = plan.extendedTeam[0]!;
    plan.extendedTeam.push({ ...twin, id: `${twin.id}-2` as typeof twin.id });
    plan.extendedTeam.push({
      ...twin,
      id: `${twin.id}-3` as typeof twin.id,
      name: plan.coreTeam[0]!.name,
    });
    const { queryByTestId, container } = render(IdentityBanner, {
      people: outlineOf(plan).people,
      profileName: 'Muster user',
    });
    expect(queryByTestId('identity-banner')).not.toBeNull();
    const offered = Array.from(container.querySelectorAll('select option')).map((o) =>
      o.getAttribute('value'),
    );
    expect(offered.filter((name) => name === twin.name)).toHaveLength(1);
    expect(offered.filter((name) => name === plan.coreTeam[0]!.name)).toHaveLength(1);
  });
});
