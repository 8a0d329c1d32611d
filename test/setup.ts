/**
 * Every test worker: the store's misuse check on (src/store/store.ts: the store used inside its own
 * transaction throws StoreMisuseError instead of waiting forever; off in atp itself, where it would
 * cost an async hook at every promise).
 */
import { enableStoreMisuseChecks } from "../src/store/store.js";

enableStoreMisuseChecks();
