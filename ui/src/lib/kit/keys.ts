// Key presses as the shortcuts see them, and whether someone is typing (where a shortcut must
// leave the key to the text field).

export type KeyPress = Pick<
  KeyboardEvent,
  'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code' | 'key' | 'target'
>;

const EDITABLE = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

export function isTyping(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(EDITABLE) !== null;
}
