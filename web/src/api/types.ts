/**
 * The wire types of the dashboard: exactly the API's contract (src/api/contract/types.ts), the only
 * thing web/ imports from src/ (test/architecture.test.ts). Every other web file imports from here.
 */
export type * from "../../../src/api/contract/types.js";
