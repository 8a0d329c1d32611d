/** Adds a coin to the watchlist (POST /api/watchlist); the API refuses unknown symbols with the closest names. */
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import type { ApiWatchlistInput } from "../api/types.js";
import { useAction } from "../state/action.js";

export function AddCoin({ presets }: { presets: string[] }) {
  const action = useAction();
  const [symbol, setSymbol] = useState("");
  const [amount, setAmount] = useState("");
  const [sl, setSl] = useState("");
  const [tp, setTp] = useState("");
  const [preset, setPreset] = useState("");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input: ApiWatchlistInput = { symbol: symbol.trim().toUpperCase() };
    if (amount.trim()) input.amount_usd = amount.trim();
    if (sl.trim()) input.sl_pct = sl.trim();
    if (tp.trim()) input.tp_pct = tp.trim();
    if (preset.trim()) input.preset = preset.trim();
    const done = await action.run(() => api.addCoin(input));
    if (done) {
      setSymbol("");
      setAmount("");
      setSl("");
      setTp("");
      setPreset("");
    }
  };
  return (
    <form className="add-coin" onSubmit={submit} data-testid="add-coin">
      <input
        placeholder="Symbol (BTC_USD)"
        value={symbol}
        onChange={(e) => setSymbol(e.target.value)}
        name="symbol"
      />
      <input
        placeholder="Amount USD"
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        name="amount_usd"
      />
      <input
        placeholder="SL %"
        inputMode="decimal"
        value={sl}
        onChange={(e) => setSl(e.target.value)}
        name="sl_pct"
      />
      <input
        placeholder="TP %"
        inputMode="decimal"
        value={tp}
        onChange={(e) => setTp(e.target.value)}
        name="tp_pct"
      />
      <input
        placeholder="Preset"
        list="preset-names"
        value={preset}
        onChange={(e) => setPreset(e.target.value)}
        name="preset"
      />
      <datalist id="preset-names">
        {presets.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <button type="submit" disabled={action.busy || symbol.trim() === ""}>
        Add coin
      </button>
      {action.error && <span className="error">{action.error}</span>}
    </form>
  );
}
