import { describe, expect, it } from 'vitest';

import { shortcutPage, type KeyPress } from './shortcuts';

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
