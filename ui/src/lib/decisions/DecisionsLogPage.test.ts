import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  listDecisions: vi.fn(),
  signingKeyStatus: vi.fn(),
  signDecision: vi.fn(),
  attestApproval: vi.fn(),
  exportDecisionRequest: vi.fn(),
  saveSignatureFile: vi.fn(),
  importDecisionFile: vi.fn(),
  exportDecisionBundle: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { ApiError, type DecisionStatus } from '../api';
import { toasts } from '../undo';
import { localTime } from '../kit/time';
import { NOW } from '../incident/fixture';
import { fixturePlan } from '../plan/fixture';
import DecisionsLogPage from './DecisionsLogPage.svelte';
import {
  ADA_KEY,
  BEN_KEY,
  DEC,
  approver,
  attestation,
  decision,
  keyStatus,
  signature,
  signatureFile,
} from './fixture';
import { decisions } from './store.svelte';

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
  decisions.clear();
  toasts.clear();
  api.listDecisions.mockResolvedValue([decision()]);
  api.signingKeyStatus.mockResolvedValue(keyStatus());
});

afterEach(() => {
  vi.useRealTimers();
  window.history.replaceState(null, '', '#/');
});

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function open(statuses: DecisionStatus[] = [decision()], focus?: string) {
  api.listDecisions.mockResolvedValue(statuses);
  const rendered = render(DecisionsLogPage, { plan: fixturePlan(), focus });
  const root = rendered.container;
  await waitFor(() => expect(decisions.statuses).toBeDefined());
  await waitFor(() => expect(decisions.key).toBeDefined());
  const q = <T extends Element = HTMLElement>(selector: string) =>
    document.body.querySelector<T>(selector) as T;
  const card = (id = DEC) => q(`[data-testid="decision-card"][data-decision="${id}"]`);
  return { ...rendered, root, q, card };
}

function approvers(card: Element) {
  return Array.from(card.querySelectorAll('[data-testid="approver"]')).map((li) => [
    li.getAttribute('data-contact'),
    li.getAttribute('data-standing'),
    text(li),
  ]);
}

describe('DecisionsLogPage', () => {
  it('shows a decision as a card: statement, policy, incident, quorum, expiry, one page root', async () => {
    const { root, card } = await open();
    const c = card();
    expect(c.getAttribute('data-state')).toBe('pending');
    expect(c.hasAttribute('data-row')).toBe(true);
    expect(text(c.querySelector('[data-testid="card-statement"]'))).toBe('Pause the pool');
    expect(text(c.querySelector('[data-testid="decision-state"]'))).toBe('Pending');
    expect(text(c.querySelector('.meta'))).toBe(
      `${DEC} · Pause contract · INC-3 · requested ${localTime('2026-03-04T13:30:00Z')} by Ada Example`,
    );
    expect(c.querySelector('.meta a')?.getAttribute('href')).toBe('#/incidents/INC-3');
    expect(text(c.querySelector('[data-testid="decision-expiry"]'))).toBe('expires in 3 h 30 min');
    expect(text(c.querySelector('[data-testid="quorum-summary"]'))).toBe(
      'Pending: waiting for Ben Sample',
    );
    expect(text(c.querySelector('[data-testid="still-needed"]'))).toBe('Still needed: Ben Sample');
    expect(c.querySelector('[data-testid="exercise-label"]')).toBeNull();
    expect(document.body.querySelectorAll('[data-section]').length).toBe(1);
    expect(root.querySelectorAll('[data-row]').length).toBe(1);
    expect(root.querySelectorAll('[style]').length).toBe(0);
  });

  it("shows each approver's standing: signatures with their key, UNSIGNED attestations, waiting", async () => {
    const status = decision({
      request: {
        policy: 'police',
        policyTitle: 'Notify law enforcement',
        statement: 'Tell the police',
      },
      approvers: [
        approver('ada', 'signed'),
        approver('metro', 'attested'),
        approver('ben', 'rejected', false),
        approver('chloe', 'attestedNotCounted', false),
      ],
      signatures: [signature('ada', 'approve'), signature('ben', 'reject', 'not yet confirmed')],
      attestations: [attestation('metro', true), attestation('chloe', false)],
      waitingFor: [],
      additionalMissing: 1,
      additionalNeeded: 1,
      summary: 'waiting for 1 more of the additional approvers',
    });
    const { card } = await open([status]);
    const c = card();
    const at = localTime('2026-03-04T13:40:00Z');
    const attestedAt = localTime('2026-03-04T13:45:00Z');
    expect(approvers(c)).toEqual([
      ['ada', 'signed', `Ada Example Signed approval recorded ${at}, key ${ADA_KEY}`],
      [
        'metro',
        'attested',
        `Metro Police UNSIGNED — attested via phone, ${attestedAt}, witnessed by Ada Example; recorded by Ada Example`,
      ],
      [
        'ben',
        'rejected',
        `Ben Sample (additional) (you) Signed rejection recorded ${at}, key ${BEN_KEY} — “not yet confirmed”`,
      ],
      [
        'chloe',
        'attestedNotCounted',
        `Chloe Demo (additional) UNSIGNED — attested, not counted via phone, ${attestedAt}, witnessed by Ada Example; recorded by Ada Example — does not count: this policy accepts signatures only`,
      ],
    ]);
    expect(text(c.querySelector('[data-testid="still-needed"]'))).toBe(
      'Still needed: 1 more of: nobody left to ask',
    );
  });

  it('lists who is still needed: required approvers, then how many more of the pool', async () => {
    const status = decision({
      request: { policy: 'upgrade', policyTitle: 'Upgrade contract' },
      approvers: [
        approver('ada', 'waiting'),
        approver('ben', 'waiting', false),
        approver('chloe', 'waiting', false),
      ],
      signatures: [],
      additionalNeeded: 1,
      additionalMissing: 1,
    });
    const { card } = await open([status]);
    expect(text(card().querySelector('[data-testid="still-needed"]'))).toBe(
      'Still needed: Ada Example; 1 more of: Ben Sample, Chloe Demo',
    );
    expect(approvers(card()).map(([, standing]) => standing)).toEqual([
      'waiting',
      'waiting',
      'waiting',
    ]);
  });

  it('offers to reach each approver still needed, from the plan, and nobody who has answered', async () => {
    const plan = fixturePlan();
    const status = decision({
      approvers: [approver('ada', 'waiting'), approver('ben', 'signed')],
    });
    const { card } = await open([status]);
    const ada = card().querySelector('[data-contact="ada"] [data-testid="reach-approver"]');
    expect(ada).not.toBeNull();
    const reach = plan.coreTeam.find((m) => m.id === 'ada')?.reach;
    const links = Array.from(ada?.querySelectorAll('a') ?? []).map((a) => a.getAttribute('href'));
    if (reach?.phone) {
      expect(links.some((h) => h?.startsWith('tel:'))).toBe(true);
    }
    if (reach?.email) {
      expect(links).toContain(
        `mailto:${reach.email}?subject=${encodeURIComponent(`Your approval is needed: ${status.request.policyTitle} (${DEC})`)}`,
      );
    }
    expect(card().querySelector('[data-contact="ben"] [data-testid="reach-approver"]')).toBeNull();
  });

  it('marks exercise decisions and puts settled ones after the open ones', async () => {
    const approved = decision({
      request: { id: 'DEC-2', exercise: true, namespace: 'muster-exercise-decision-v1' },
      state: 'approved',
      summary: 'approved',
    });
    const { q } = await open([approved, decision()]);
    const cards = Array.from(document.body.querySelectorAll('[data-testid="decision-card"]'));
    expect(
      cards.map((c) => [c.getAttribute('data-decision'), c.getAttribute('data-state')]),
    ).toEqual([
      [DEC, 'pending'],
      ['DEC-2', 'approved'],
    ]);
    const exercise = q('[data-decision="DEC-2"]');
    expect(text(exercise.querySelector('[data-testid="exercise-label"]'))).toBe('EXERCISE');
    expect(exercise.querySelector('[data-testid="still-needed"]')).toBeNull();
    expect(exercise.querySelector('[data-testid="approve"]')).toBeNull();
    expect(exercise.querySelector('[data-testid="export-request"]')).toBeNull();
    expect(
      exercise.querySelector('[data-testid="export-bundle"]')?.classList.contains('primary'),
    ).toBe(true);
  });

  it('approves after showing the exact statement, signing with {approve}', async () => {
    const after = decision({
      state: 'approved',
      approvers: [
        approver('ada', 'signed'),
        approver('ben', 'signed'),
        approver('chloe', 'waiting', false),
      ],
      signatures: [signature('ada', 'approve'), signature('ben', 'approve')],
      summary: 'approved by Ada Example and Ben Sample',
    });
    api.signDecision.mockResolvedValue({ signature: signatureFile(), status: after });
    const { card, q } = await open();
    await fireEvent.click(card().querySelector('[data-testid="approve"]') as Element);
    const dialog = q('[data-testid="confirm"]');
    expect(text(dialog.querySelector('h2'))).toBe(`Approve ${DEC}?`);
    expect(text(dialog.querySelector('[data-testid="sign-statement"]'))).toBe('Pause the pool');
    // The same button the app's other confirmations have.
    expect(q('[data-testid="decision-submit"]').getAttribute('data-action')).toBe('confirm');
    expect(text(dialog)).toContain(BEN_KEY);
    expect(api.signDecision).not.toHaveBeenCalled();
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() => expect(q('[data-testid="confirm"]')).toBeNull());
    expect(api.signDecision).toHaveBeenCalledWith(DEC, { verdict: 'approve' });
    expect(card().getAttribute('data-state')).toBe('approved');
    expect(text(q('[data-testid="toast"] .text'))).toBe(
      `Signed your approval of ${DEC}: approved by Ada Example and Ben Sample`,
    );
  });

  it('signs no rejection core refuses for want of a reason, then signs the reason', async () => {
    // Two mistakes: the reason beside its field, the other at the top of the dialog.
    api.signDecision.mockRejectedValueOnce(
      new ApiError('invalidInput', 'the answer has 2 problems', [
        {
          location: { section: 'answer', element: '', field: 'reason' },
          message: 'say why you reject it: the reason is signed with your answer',
        },
        {
          location: { section: 'request', element: DEC, field: 'expires' },
          message: `${DEC} expired`,
        },
      ]),
    );
    api.signDecision.mockResolvedValue({
      signature: signatureFile({ verdict: 'reject', reason: 'pause the pool only' }),
      status: decision({ state: 'rejected', summary: 'rejected by Ben Sample' }),
    });
    const { card, q } = await open();
    await fireEvent.click(card().querySelector('[data-testid="reject"]') as Element);
    expect(text(q('[data-testid="confirm"] h2'))).toBe(`Reject ${DEC}?`);
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() =>
      expect(text(q('[data-field-error="reason"]'))).toBe(
        'Say why you reject it: the reason is signed with your answer',
      ),
    );
    expect(q('[data-testid="reject-reason"]').getAttribute('aria-invalid')).toBe('true');
    expect(text(q('[data-testid="dialog-errors"] li'))).toBe(`${DEC} expired`);
    expect(api.signDecision).toHaveBeenCalledWith(DEC, { verdict: 'reject', reason: '' });
    expect(q('[data-testid="confirm"]')).not.toBeNull();
    await fireEvent.input(q('[data-testid="reject-reason"]'), {
      target: { value: '  pause the pool only ' },
    });
    expect(q('[data-field-error="reason"]')).toBeNull();
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() => expect(api.signDecision).toHaveBeenCalledTimes(2));
    expect(api.signDecision).toHaveBeenLastCalledWith(DEC, {
      verdict: 'reject',
      reason: 'pause the pool only',
    });
  });

  it('keeps a refusal in the dialog', async () => {
    api.signDecision.mockRejectedValue({
      code: 'refused',
      message: 'the keychain is locked (no unlock): unlock it and try again',
    });
    const { card, q } = await open();
    await fireEvent.click(card().querySelector('[data-testid="approve"]') as Element);
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="dialog-errors"]'))).toContain('the keychain is locked'),
    );
    expect(q('[data-testid="confirm"]')).not.toBeNull();
  });

  it('offers to save the signature of an imported request once signed', async () => {
    const imported = decision({ request: { local: false, requestedBy: 'Ada Example' } });
    api.signDecision.mockResolvedValue({ signature: signatureFile(), status: null });
    api.saveSignatureFile.mockResolvedValue('/home/ben/DEC.sig');
    const { card, q } = await open([imported]);
    expect(card().querySelector('[data-testid="save-signature"]')).toBeNull();
    expect(card().querySelector('[data-testid="attest"]')).toBeNull();
    expect(card().querySelector('[data-testid="export-bundle"]')).toBeNull();
    expect(decisions.waitingForMe()).toHaveLength(1);
    await fireEvent.click(card().querySelector('[data-testid="approve"]') as Element);
    expect(text(q('[data-testid="confirm"]'))).toContain('This request came from another computer');
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() =>
      expect(card().querySelector('[data-testid="save-signature"]')).not.toBeNull(),
    );
    expect(card().querySelector('[data-testid="approve"]')).toBeNull();
    expect(decisions.waitingForMe()).toHaveLength(0);
    expect(text(card().querySelector('[data-testid="signed-here"]'))).toBe(
      `You signed an approval with ${BEN_KEY}. Save the signature file and send it to Ada Example.`,
    );
    // Counted where the request was made; here the row says it is signed, not "waiting".
    const mine = card().querySelector('[data-testid="approver"][data-standing="waiting"] .who');
    expect(text(mine)).toContain('(you)');
    expect(text(mine?.parentElement?.querySelector('[data-testid="standing"]') ?? null)).toBe(
      'Approved here, not yet counted',
    );
    await fireEvent.click(card().querySelector('[data-testid="save-signature"]') as Element);
    expect(api.saveSignatureFile).toHaveBeenCalledWith(DEC, 'Muster decision signature v1\n');
    await waitFor(() =>
      expect(text(q('[data-testid="toast"] .text'))).toBe('Saved /home/ben/DEC.sig'),
    );
  });

  it('imports a file and points at its decision; a refusal stays on the page', async () => {
    api.importDecisionFile.mockResolvedValueOnce({
      kind: 'signature',
      status: decision({ state: 'approved', summary: 'approved by Ada Example and Ben Sample' }),
    });
    api.importDecisionFile.mockRejectedValueOnce({
      code: 'refused',
      message: 'the signing key SHA256:x is not in the plan',
    });
    const { q, card } = await open();
    await fireEvent.click(q('[data-testid="import-decision-file"]'));
    await waitFor(() => expect(card().getAttribute('data-state')).toBe('approved'));
    expect(window.location.hash).toBe(`#/decisions-log/${DEC}`);
    expect(text(q('[data-testid="toast"] .text'))).toBe(
      `Imported a signature on ${DEC}: approved by Ada Example and Ben Sample`,
    );
    await fireEvent.click(q('[data-testid="import-decision-file"]'));
    await waitFor(() =>
      expect(text(q('[data-testid="import-error"]'))).toBe(
        'Not imported: the signing key SHA256:x is not in the plan',
      ),
    );
  });

  it('exports the request and the bundle, and says where they went', async () => {
    api.exportDecisionRequest.mockResolvedValue('/tmp/DEC.request');
    api.exportDecisionBundle.mockRejectedValue({ code: 'storage', message: 'disk full' });
    const { card, q } = await open();
    await fireEvent.click(card().querySelector('[data-testid="export-request"]') as Element);
    await waitFor(() =>
      expect(text(q('[data-testid="toast"] .text'))).toBe('Saved /tmp/DEC.request'),
    );
    expect(api.exportDecisionRequest).toHaveBeenCalledWith(DEC);
    await fireEvent.click(card().querySelector('[data-testid="export-bundle"]') as Element);
    await waitFor(() =>
      expect(text(q('[data-testid="toast"] .text'))).toBe(
        `Could not export the bundle of ${DEC}: disk full`,
      ),
    );
    expect(q('[data-testid="toast"]').classList.contains('problem')).toBe(true);
  });

  it('explains the flow when there is no decision yet', async () => {
    const { q } = await open([]);
    const empty = q('[data-testid="decisions-empty"]');
    expect(text(empty)).toContain('No decision requests yet.');
    expect(text(empty)).toContain('ssh-keygen -Y verify');
    expect(q('[data-testid="import-decision-file"]')).not.toBeNull();
  });

  it('says why signing is not possible yet', async () => {
    api.signingKeyStatus.mockResolvedValue(
      keyStatus({
        contact: null,
        name: null,
        fingerprint: null,
        keychain: 'noKey',
        detail:
          'this profile does not say who you are: choose yourself among the core team and set up your signing key',
      }),
    );
    const { q, card } = await open();
    expect(text(q('[data-testid="key-note"]'))).toBe(
      'You cannot sign on this computer yet: this profile does not say who you are: choose yourself among the core team and set up your signing key. Signing key settings',
    );
    expect(card().querySelector('[data-testid="approve"]')).toBeNull();
    expect(text(card())).toContain('set up your signing key in Settings');
  });
});

describe('AttestDialog', () => {
  async function attest(status = decision()) {
    const opened = await open([status]);
    await fireEvent.click(
      opened.card(status.request.id).querySelector('[data-testid="attest"]') as Element,
    );
    const dialog = opened.q('[data-testid="attest-dialog"]');
    const field = <T extends HTMLElement>(name: string) =>
      dialog.querySelector(`[data-testid="attest-${name}"]`) as T;
    const errors = () =>
      Object.fromEntries(
        Array.from(dialog.querySelectorAll('[data-field-error]')).map((e) => [
          e.getAttribute('data-field-error'),
          text(e),
        ]),
      );
    return { ...opened, dialog, field, errors };
  }

  it('explains the approval is UNSIGNED and that this policy does not count it', async () => {
    const { dialog } = await attest();
    expect(text(dialog.querySelector('[data-testid="attest-explained"]'))).toContain(
      '“Pause contract” accepts signatures only: this is recorded but does not count toward the quorum.',
    );
    expect(text(dialog.querySelector('[data-testid="attest-explained"]'))).toMatch(/^UNSIGNED\./);
  });

  it('says when the policy counts attested approvals', async () => {
    const police = await attest(
      decision({
        request: { id: 'DEC-2', policy: 'police', policyTitle: 'Notify law enforcement' },
        approvers: [approver('ada', 'waiting'), approver('metro', 'waiting')],
        signatures: [],
      }),
    );
    expect(text(police.dialog.querySelector('[data-testid="attest-explained"]'))).toContain(
      '“Notify law enforcement” allows attested approvals: this one counts toward the quorum.',
    );
  });

  it('keeps back only what cannot be sent, and shows core’s problems beside the fields', async () => {
    const { q, field, errors } = await attest();
    await fireEvent.change(field<HTMLSelectElement>('witness'), { target: { value: '' } });
    await fireEvent.input(field<HTMLInputElement>('channel'), { target: { value: '  ' } });
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    expect(errors()).toEqual({
      approver: 'Choose who approved.',
      witness: 'Name who heard the approval given.',
    });
    expect(api.attestApproval).not.toHaveBeenCalled();

    // Sendable: core answers with every problem, each at its field.
    api.attestApproval.mockRejectedValueOnce(
      new ApiError('invalidInput', 'the attested approval has 3 problems', [
        {
          location: { section: 'attestation', element: '', field: 'witness' },
          message: 'Ben Sample cannot witness their own approval: name who heard it given',
        },
        {
          location: { section: 'attestation', element: '', field: 'approvedAt' },
          message: 'the approval’s time is in the future: give the time Ben Sample approved',
        },
        {
          location: { section: 'attestation', element: '', field: 'channel' },
          message: 'the channel is empty: write it in one line',
        },
      ]),
    );
    await fireEvent.change(field<HTMLSelectElement>('approver'), { target: { value: 'ben' } });
    await fireEvent.change(field<HTMLSelectElement>('witness'), { target: { value: 'ben' } });
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() =>
      expect(errors()).toEqual({
        witness: 'Ben Sample cannot witness their own approval: name who heard it given',
        at: 'The approval’s time is in the future: give the time Ben Sample approved',
        channel: 'The channel is empty: write it in one line',
      }),
    );
  });

  it('records who approved, how, when and who heard it', async () => {
    const after = decision({
      approvers: [
        approver('ada', 'signed'),
        approver('ben', 'attestedNotCounted'),
        approver('chloe', 'waiting', false),
      ],
      attestations: [attestation('ben', false)],
    });
    api.attestApproval.mockResolvedValue(after);
    const { q, field, card } = await attest();
    expect(
      Array.from(field<HTMLSelectElement>('approver').options)
        .filter((o) => !o.disabled)
        .map((o) => o.value),
    ).toEqual(['ben', 'chloe']);
    // The witness starts as this profile's person (Ben); Ben approved, Chloe heard it.
    await fireEvent.change(field<HTMLSelectElement>('approver'), { target: { value: 'ben' } });
    await fireEvent.change(field<HTMLSelectElement>('witness'), { target: { value: 'chloe' } });
    await fireEvent.input(field<HTMLInputElement>('channel'), {
      target: { value: ' video call ' },
    });
    const at = new Date('2026-03-04T13:45:00Z');
    const local = `2026-03-04T${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    await fireEvent.input(field<HTMLInputElement>('at'), { target: { value: local } });
    await fireEvent.click(q('[data-testid="decision-submit"]'));
    await waitFor(() => expect(q('[data-testid="attest-dialog"]')).toBeNull());
    expect(api.attestApproval).toHaveBeenCalledWith(
      DEC,
      'ben',
      'video call',
      '2026-03-04T13:45:00Z',
      'chloe',
    );
    expect(card().querySelector('[data-contact="ben"]')?.getAttribute('data-standing')).toBe(
      'attestedNotCounted',
    );
  });
});
