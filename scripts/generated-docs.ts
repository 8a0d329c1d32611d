/** Every file generated from code. `npm run docs` writes them; test/docs/generated.test.ts checks them. */
import { renderConfigurationDoc, renderEnvExample } from "../src/config/docs.js";
import { renderTroubleshootingDoc } from "../src/diagnostics/troubleshooting-doc.js";
import { renderErrorCodesDoc } from "../src/exchange/cryptocom/error-docs.js";

export interface GeneratedDoc {
  /** Path relative to the repository root. */
  path: string;
  render(): string;
}

export const GENERATED_DOCS: GeneratedDoc[] = [
  { path: ".env.example", render: renderEnvExample },
  { path: "docs/configuration.md", render: renderConfigurationDoc },
  { path: "docs/error-codes.md", render: renderErrorCodesDoc },
  { path: "docs/troubleshooting.md", render: renderTroubleshootingDoc },
];
