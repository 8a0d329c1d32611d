/** A DNS lookup for tests: every name is 127.0.0.1, and the names asked are recorded in `asked`. */
import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";

export function loopbackLookup(asked: string[]): LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname);
    const cb = callback as unknown as (e: null, a: string | LookupAddress[], f?: number) => void;
    if ((options as { all?: boolean }).all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
    else cb(null, "127.0.0.1", 4);
  };
}
