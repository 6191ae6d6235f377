// Core's messages are written without a leading capital (they also end command-line lines);
// a form shows each as a sentence.

/** `message` with its first letter capitalised. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
