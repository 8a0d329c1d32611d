/**
 * The emulator's clock: the local clock plus `clock_offset_ms` (settable through the admin API and
 * moved by `clock_jump` faults). Nonce checks, the `Date` header, heartbeat ids and order
 * timestamps all read it, so a skewed "exchange" is one number away.
 */
export class EmulatorClock {
  constructor(
    private offsetMs = 0,
    private readonly local: () => number = Date.now,
  ) {}

  now(): number {
    return this.local() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }

  jump(ms: number): void {
    this.offsetMs += ms;
  }
}
