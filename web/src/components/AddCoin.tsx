/** Adds a coin to the watchlist (POST /api/watchlist); the API refuses unknown symbols with the closest names. */
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import type { ApiWatchlistInput } from "../api/types.js";
import { useAction } from "../state/action.js";

type Field = "symbol" | "amount_usd" | "sl_pct" | "tp_pct" | "preset";

/** The form's inputs, in order: name (the API's field), placeholder, keyboard. */
const FIELDS: { name: Field; placeholder: string; decimal?: boolean }[] = [
  { name: "symbol", placeholder: "Symbol (BTC_USD)" },
  { name: "amount_usd", placeholder: "Amount USD", decimal: true },
  { name: "sl_pct", placeholder: "SL %", decimal: true },
  { name: "tp_pct", placeholder: "TP %", decimal: true },
  { name: "preset", placeholder: "Preset" },
];

const EMPTY: Record<Field, string> = { symbol: "", amount_usd: "", sl_pct: "", tp_pct: "", preset: "" };

export function AddCoin({ presets }: { presets: string[] }) {
  const action = useAction();
  const [values, setValues] = useState(EMPTY);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input: ApiWatchlistInput = { symbol: values.symbol.trim().toUpperCase() };
    for (const name of ["amount_usd", "sl_pct", "tp_pct", "preset"] as const) {
      const v = values[name].trim();
      if (v) input[name] = v;
    }
    const done = await action.run(() => api.addCoin(input));
    if (done) setValues(EMPTY);
  };
  return (
    <form className="add-coin" onSubmit={submit} data-testid="add-coin">
      {FIELDS.map((f) => (
        <input
          key={f.name}
          name={f.name}
          placeholder={f.placeholder}
          {...(f.decimal ? { inputMode: "decimal" as const } : {})}
          {...(f.name === "preset" ? { list: "preset-names" } : {})}
          value={values[f.name]}
          onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
        />
      ))}
      <datalist id="preset-names">
        {presets.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <button type="submit" disabled={action.busy || values.symbol.trim() === ""}>
        Add coin
      </button>
      {action.error && <span className="error">{action.error}</span>}
    </form>
  );
}
