/** Settings: trading switches (live with confirmation, kill switch), limits and loss protections, Telegram notifications, webhooks. */
import { NotificationSwitches } from "../components/NotificationSwitches.js";
import { SettingsForm } from "../components/SettingsForm.js";
import { TradingControls } from "../components/TradingControls.js";
import { Webhooks } from "../components/Webhooks.js";

export function SettingsPage() {
  return (
    <section className="settings-page">
      <h2>Settings</h2>
      <TradingControls />
      <SettingsForm />
      <NotificationSwitches />
      <Webhooks />
    </section>
  );
}
