/**
 * NOT_LEADER and KILL_SWITCH: the two guards that stop everything.
 *
 * Invariants:
 * - NOT_LEADER runs for every request, protective ones included: only the leader acts.
 * - KILL_SWITCH never blocks a protective request (PROTECT / FLATTEN, cancels); it reads the
 *   switch the fail-safe way (a read error or an invalid row means engaged).
 */
import type { TradingGuard } from "./guard.js";

export const notLeaderGuard: TradingGuard = {
  code: "NOT_LEADER",
  applies: () => true,
  async check(r) {
    const leader = r.ctx.isLeader();
    return {
      ok: leader,
      detail: leader ? "this process leads" : "this process is not the leader: another atp trades",
    };
  },
};

export const killSwitchGuard: TradingGuard = {
  code: "KILL_SWITCH",
  applies: (req) => !req.protective,
  async check(r) {
    const ks = (await r.settings()).killSwitch;
    const why = ks.detail ? `${ks.why}: ${ks.detail}` : ks.why;
    return { ok: !ks.value, detail: `kill switch ${ks.value ? "on" : "off"} (${why})` };
  },
};
