/** The demo's fault switch (GET/POST /api/demo/fault): only rendered in DEMO mode. */
import { useEffect, useState } from "react";
import { api } from "../api/client.js";
import type { DemoFaultState } from "../api/types.js";
import { useAction } from "../state/action.js";

export function DemoFault() {
  const action = useAction();
  const [fault, setFault] = useState<DemoFaultState | null>(null);
  useEffect(() => {
    api.demoFault().then(setFault, () => setFault(null));
  }, []);
  if (!fault) return null;
  const set = async (cause: string | null) => {
    const next = await action.run(() => api.setDemoFault({ cause }));
    if (next) setFault(next);
  };
  return (
    <div className="panel">
      <h3>Demo fault</h3>
      <p className="muted small">
        Make the demo exchange misbehave to watch the diagnosis and the circuit breaker work.
      </p>
      <div className="row">
        <select
          aria-label="Demo fault"
          value={fault.cause ?? ""}
          disabled={action.busy}
          onChange={(e) => void set(e.target.value === "" ? null : e.target.value)}
        >
          <option value="">no fault</option>
          {fault.available.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </div>
      {action.error && <p className="error">{action.error}</p>}
    </div>
  );
}
