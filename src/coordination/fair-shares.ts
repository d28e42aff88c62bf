/**
 * Equal shares of a model's slots between accounts: start-time fair queueing (Goyal, Vin and Cheng,
 * SIGCOMM 1996) with every account's weight 1. Each request gets a start tag, the later of the queue's
 * virtual time and the finish tag of its account's previous request; waiters are served in start-tag
 * order. An account that sends 30 requests gets tags 0..29; another account arriving afterwards gets the
 * current virtual time, so it is served next, not after the 30.
 *
 * The Redis capacity queue does the same steps in Lua (see redis/lua-scripts.ts); this is the one-process form.
 */
export class FairShares {
  /** The start tag of the request most recently granted a slot. */
  private virtualTime = 0;
  /** Finish tag of each account's latest request; accounts at or behind the virtual time are dropped. */
  private readonly finishTags = new Map<string, number>();

  /** The start tag of a new request of `account`, advancing the account's finish tag by one share. */
  tag(account: string): number {
    const start = Math.max(this.virtualTime, this.finishTags.get(account) ?? 0);
    this.finishTags.set(account, start + 1);
    return start;
  }

  /** A request with this start tag was granted a slot: virtual time moves up to it. */
  granted(start: number): void {
    if (start <= this.virtualTime) return;
    this.virtualTime = start;
    // An account whose finish tag is behind the virtual time would be tagged with the virtual time anyway.
    for (const [account, finish] of this.finishTags) {
      if (finish <= start) this.finishTags.delete(account);
    }
  }

  /**
   * A request left the queue without running (aborted, timed out, pushed out): when it was its account's
   * latest, the account gets its share back.
   */
  withdraw(account: string, start: number): void {
    if (this.finishTags.get(account) === start + 1) this.finishTags.set(account, start);
  }
}
