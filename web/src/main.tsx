/** Entry point: mounts the dashboard into #root inside the state provider. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { DashboardProvider } from "./state/dashboard.js";
import "./styles.css";

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <DashboardProvider>
        <App />
      </DashboardProvider>
    </StrictMode>,
  );
