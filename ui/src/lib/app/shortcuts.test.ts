import { describe, expect, it } from 'vitest';

import type { KeyPress } from '../kit/keys';
import { opensDeclare, opensPalette, pageShortcutsOff, quits, shortcutPage } from './shortcuts';

function press(over: Partial<KeyPress>): KeyPress {
  return {
    altKey: true,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    code: 'Digit1',
    key: '1',
    target: document.body,
    ...over,
  };
}

describe('shortcutPage', () => {
  it('maps Alt+digit to pages', () => {
    expect(shortcutPage(press({}))).toBe('issues');
    expect(shortcutPage(press({ code: 'Digit0', key: '0' }))).toBe('overview');
    expect(shortcutPage(press({ code: 'Digit7', key: '7' }))).toBe('decisions');
    expect(shortcutPage(press({ code: 'Numpad4', key: '4' }))).toBe('core-team');
  });

  it('reads the physical key when Alt changes the character', () => {
    expect(shortcutPage(press({ code: 'Digit3', key: '£' }))).toBe('escalation');
  });

  it('ignores other keys and modifiers', () => {
    expect(shortcutPage(press({ code: 'Digit8', key: '8' }))).toBeUndefined();
    expect(shortcutPage(press({ code: 'KeyA', key: 'a' }))).toBeUndefined();
    expect(shortcutPage(press({ altKey: false }))).toBeUndefined();
    expect(shortcutPage(press({ ctrlKey: true }))).toBeUndefined();
    expect(shortcutPage(press({ shiftKey: true }))).toBeUndefined();
  });

  it('ignores key presses while typing', () => {
    const input = document.createElement('input');
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    const inner = document.createElement('span');
    editor.append(inner);
    expect(shortcutPage(press({ target: input }))).toBeUndefined();
    expect(shortcutPage(press({ target: inner }))).toBeUndefined();
  });
});

describe('pageShortcutsOff', () => {
  it('leaves Alt+digit to the exercise console and the participant window', () => {
    expect(pageShortcutsOff({ page: 'exercise', id: 'EX-1', tab: 'run' })).toBe(true);
    expect(pageShortcutsOff({ page: 'participant', id: 'EX-1' })).toBe(true);
    expect(pageShortcutsOff({ page: 'exercise', id: 'EX-1', tab: 'setup' })).toBe(false);
    expect(pageShortcutsOff({ page: 'exercises' })).toBe(false);
    expect(pageShortcutsOff({ page: 'overview' })).toBe(false);
  });
});

describe('opensPalette', () => {
  const k = (over: Partial<KeyPress>) => press({ altKey: false, code: 'KeyK', key: 'k', ...over });

  it('is Ctrl+K or Cmd+K, even while typing', () => {
    expect(opensPalette(k({ ctrlKey: true }))).toBe(true);
    expect(opensPalette(k({ metaKey: true }))).toBe(true);
    expect(opensPalette(k({ ctrlKey: true, key: 'K' }))).toBe(true);
    expect(opensPalette(k({ ctrlKey: true, key: 'л' }))).toBe(true);
    expect(opensPalette(k({ ctrlKey: true, target: document.createElement('input') }))).toBe(true);
  });

  it('ignores K alone and with other modifiers', () => {
    expect(opensPalette(k({}))).toBe(false);
    expect(opensPalette(k({ ctrlKey: true, metaKey: true }))).toBe(false);
    expect(opensPalette(k({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(opensPalette(k({ ctrlKey: true, altKey: true }))).toBe(false);
    expect(opensPalette(k({ ctrlKey: true, code: 'KeyJ', key: 'j' }))).toBe(false);
  });
});

describe('incident shortcuts', () => {
  const key = (code: string, key: string, over: Partial<KeyPress>) =>
    press({ altKey: false, code, key, ...over });

  it('declares with Ctrl+Shift+N or Cmd+Shift+N, even while typing', () => {
    expect(opensDeclare(key('KeyN', 'N', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(opensDeclare(key('KeyN', 'N', { metaKey: true, shiftKey: true }))).toBe(true);
    const input = document.createElement('input');
    expect(opensDeclare(key('KeyN', 'N', { ctrlKey: true, shiftKey: true, target: input }))).toBe(
      true,
    );
    expect(opensDeclare(key('KeyN', 'n', { ctrlKey: true }))).toBe(false);
    expect(opensDeclare(key('KeyN', 'N', { shiftKey: true }))).toBe(false);
    expect(opensDeclare(key('KeyN', 'N', { ctrlKey: true, shiftKey: true, altKey: true }))).toBe(
      false,
    );
  });

  it('quits with Ctrl+Q or Cmd+Q only', () => {
    expect(quits(key('KeyQ', 'q', { ctrlKey: true }))).toBe(true);
    expect(quits(key('KeyQ', 'q', { metaKey: true }))).toBe(true);
    expect(quits(key('KeyQ', 'Q', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(quits(key('KeyQ', 'q', {}))).toBe(false);
    expect(quits(key('KeyW', 'w', { ctrlKey: true }))).toBe(false);
  });
});
