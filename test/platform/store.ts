/** A SQLite store in a temp directory per test file (closed and removed after it). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { quietLogger } from "../store/helpers.js";

export function useSqliteStore(): { open(): Promise<Store> } {
  const opened: { store: Store; dir: string }[] = [];
  afterAll(async () => {
    for (const o of opened) {
      await o.store.close();
      rmSync(o.dir, { recursive: true, force: true });
    }
  });
  return {
    async open() {
      const dir = mkdtempSync(join(tmpdir(), "atp-platform-store-"));
      const store = await openStore({ dataDir: dir, logger: quietLogger(), now: Date.now });
      opened.push({ store, dir });
      return store;
    },
  };
}
