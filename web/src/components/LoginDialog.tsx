/**
 * Log in with the API token (printed by `atp start`, or ATP_API_TOKEN): POST /api/auth/login sets
 * the session cookie; the token is not kept by the page.
 */
import { type FormEvent, useState } from "react";
import { api, describeError } from "../api/client.js";

export function LoginDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(token.trim());
      setToken("");
      onDone();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <form className="modal" onSubmit={submit} data-testid="login-dialog">
        <h2>Log in</h2>
        <p>
          Changes need the API token that <code>atp start</code> printed (or ATP_API_TOKEN).
        </p>
        <label>
          API token
          <input
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            name="token"
          />
        </label>
        {error && <p className="error">{error}</p>}
        <div className="row">
          <button type="submit" disabled={busy || token.trim() === ""}>
            Log in
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
