// What a dialog sent and what came back: busy while the command runs, then a refusal
// split for the dialog (problems about one of its fields beside that field, the rest at the top).
import { refusal } from './refusal';

export class Attempt {
  busy = $state(false);
  /** How many sends went through: a form that stays open clears what it held for the last one. */
  succeeded = $state(0);
  /** Problems for the top of the dialog. */
  errors: string[] = $state([]);
  /** Problems beside a field, by the field's name. */
  fields: Record<string, string> = $state({});
  readonly #names: readonly string[];

  /** `names`: the dialog's fields, whose problems go beside them. */
  constructor(names: readonly string[] = []) {
    this.#names = names;
  }

  /** Runs `send` unless one is running; true once it went through, false if refused. */
  async run(send: () => Promise<unknown>): Promise<boolean> {
    if (this.busy) {
      return false;
    }
    this.busy = true;
    this.errors = [];
    this.fields = {};
    try {
      await send();
      this.succeeded++;
      return true;
    } catch (reason) {
      const refused = refusal(reason, this.#names);
      this.fields = refused.fields;
      this.errors = refused.general;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
