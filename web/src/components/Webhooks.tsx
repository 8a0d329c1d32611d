/**
 * TradingView webhooks: list (name, created, last used), create (the secret is shown once, right
 * after creation, with the URL and an alert body to paste) and delete. The secret is kept only in
 * this component's memory until the user dismisses it.
 */
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import type { WebhookCreated, WebhookInfo } from "../api/types.js";
import { useAction } from "../state/action.js";
import { useApiRead } from "../state/api-read.js";
import { time } from "../state/format.js";
import { ReadFailed } from "./ReadStatus.js";

export function Webhooks() {
  const action = useAction();
  const read = useApiRead<WebhookInfo[]>(() => api.webhooks(), []);
  const items = read.value;
  const load = read.reload;
  const [name, setName] = useState("");
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const made = await action.run(() => api.createWebhook(name.trim()));
    if (made) {
      setCreated(made);
      setName("");
      load();
    }
  };
  const remove = async (n: string) => {
    if (!window.confirm(`Delete webhook ${n}? TradingView alerts using it will be refused.`)) return;
    await action.run(() => api.deleteWebhook(n));
    load();
  };
  const url = created ? `${window.location.origin}${created.url_path}` : "";
  return (
    <div className="panel" data-testid="webhooks">
      <h3>Webhooks (TradingView)</h3>
      <ReadFailed error={read.error} what="webhooks" />
      {created && (
        <div className="note secret" data-testid="webhook-secret">
          <p>
            Webhook <strong>{created.name}</strong> created. Its secret is shown <strong>only now</strong>:
          </p>
          <p className="mono break">URL: {url}</p>
          <p className="mono break">Secret: {created.secret}</p>
          <pre className="mono small break">{`{"secret": "${created.secret}", "symbol": "{{ticker}}", "side": "{{strategy.order.action}}", "signal_id": "{{timenow}}"}`}</pre>
          <button type="button" className="secondary" onClick={() => setCreated(null)}>
            I have saved it
          </button>
        </div>
      )}
      {items && items.length > 0 ? (
        <ul className="webhooks">
          {items.map((w) => (
            <li key={w.name} data-testid={`webhook-${w.name}`}>
              <code>{w.name}</code>{" "}
              <span className="muted small">
                created {time(w.created_at)} · last used {time(w.last_used_at)}
              </span>{" "}
              <button
                type="button"
                className="danger small"
                onClick={() => void remove(w.name)}
                disabled={action.busy}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{items ? "No webhooks." : "Loading…"}</p>
      )}
      <form className="row" onSubmit={create}>
        <input
          aria-label="Webhook name"
          placeholder="name (e.g. tv-btc)"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" disabled={action.busy || name.trim() === ""}>
          Create webhook
        </button>
      </form>
      {action.error && <p className="error">{action.error}</p>}
    </div>
  );
}
