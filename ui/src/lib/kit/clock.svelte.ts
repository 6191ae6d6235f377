// The current time for countdown text, ticking once a second only while something on screen
// shows a countdown. Data is refreshed elsewhere (every 30 s and on change events); this only
// keeps "due in 4 min 12 s" moving.
export class Clock {
  now = $state(Date.now());
  readonly #period: number;
  #users = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(period = 1000) {
    this.#period = period;
  }

  /** Starts ticking for one more user; call the returned function when it is gone. */
  use(): () => void {
    if (this.#users === 0) {
      this.now = Date.now();
      this.#timer = setInterval(() => (this.now = Date.now()), this.#period);
    }
    this.#users++;
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.#users--;
      if (this.#users === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  get ticking(): boolean {
    return this.#timer !== undefined;
  }
}

/** The one-second clock every countdown shares. */
export const seconds = new Clock(1000);
