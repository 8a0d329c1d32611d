/**
 * The known-answer signing vectors: the project's one copy, used by the doctor's signing self-test
 * (self-test.ts) and by the tests (test/exchange/signing.test.ts, test/exchange/client/envelope.test.ts,
 * test/diagnostics/units.test.ts), so a bare clone checks its signer on any machine.
 *
 * Provenance (the rows of the Crypto.com reference §3.3 "Worked examples"; every `sig` is
 * HMAC-SHA256(secret, string_to_sign), recomputed independently with Python's hmac module when copied):
 * - official-java-public-auth: the official Java sample (public/auth, id 11, nonce 1589594102779);
 * - official-js-get-order-detail: the official JavaScript sample (string id and nonce);
 * - nested-order-list: the official Python create-order-list sample, nonce fixed to 1587846358253;
 * - create-order-with-array: an exec_inst array, written for the reference;
 * - null-value: the shape of the official create-withdrawal sample (`network_id: null`, empty
 *   `address_tag`, request id -1);
 * - third-party-crosscheck: the payload documented by the `digdigdig3` crate (crypto_com/auth.rs);
 * - empty-params-user-balance: `params: {}` contributes nothing (the note under the table);
 * - seed-sell-btc-usd: the seed document's failing order (SELL MARKET BTC_USD) on the 0.00001 step.
 * The same vectors are published as cryptocom-signing.json in the reference material that developers
 * keep beside the checkout; when that folder is present, test/diagnostics/units.test.ts checks that
 * this copy is identical to it, and says it skipped the comparison when it is not.
 * The published sample `sig` values of the exchange's docs are not reproducible (their secrets are not
 * given) and are deliberately absent.
 */
export interface SigningVector {
  name: string;
  method: string;
  id: string | number;
  api_key: string;
  params: Record<string, unknown>;
  nonce: string | number;
  secret: string;
  string_to_sign: string;
  sig: string;
}

export const SIGNING_VECTORS: readonly SigningVector[] = [
  {
    name: "official-java-public-auth",
    method: "public/auth",
    id: 11,
    api_key: "token",
    params: {},
    nonce: 1589594102779,
    secret: "secretKey",
    string_to_sign: "public/auth11token1589594102779",
    sig: "9dcebf6eeec155f829227ee447dee73120e0aead42fab74d38ed5d8271793dc8",
  },
  {
    name: "official-js-get-order-detail",
    method: "private/get-order-detail",
    id: "11",
    api_key: "token",
    params: {
      order_id: "53287421324",
    },
    nonce: "1587846358253",
    secret: "secretKey",
    string_to_sign: "private/get-order-detail11tokenorder_id532874213241587846358253",
    sig: "02ef0a52c9428e5d3dcc5dd24d534ca39ef73f35acd3f6945f139a2364ef67a9",
  },
  {
    name: "nested-order-list",
    method: "private/create-order-list",
    id: "14",
    api_key: "API_KEY",
    params: {
      contingency_type: "LIST",
      order_list: [
        {
          instrument_name: "ONE_USDT",
          side: "BUY",
          type: "LIMIT",
          price: "0.24",
          quantity: "1.0",
        },
        {
          instrument_name: "ONE_USDT",
          side: "BUY",
          type: "STOP_LIMIT",
          price: "0.27",
          quantity: "1.0",
          trigger_price: "0.26",
        },
      ],
    },
    nonce: "1587846358253",
    secret: "SECRET_KEY",
    string_to_sign:
      "private/create-order-list14API_KEYcontingency_typeLISTorder_listinstrument_nameONE_USDTprice0.24quantity1.0sideBUYtypeLIMITinstrument_nameONE_USDTprice0.27quantity1.0sideBUYtrigger_price0.26typeSTOP_LIMIT1587846358253",
    sig: "0ce830395a52b741cd79a3f20d623de0eff72bfa9c6d87af37eba0cfafb51c6e",
  },
  {
    name: "create-order-with-array",
    method: "private/create-order",
    id: "1",
    api_key: "token",
    params: {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "50000.5",
      quantity: "0.0001",
      client_oid: "c1",
      exec_inst: ["POST_ONLY"],
      time_in_force: "GOOD_TILL_CANCEL",
    },
    nonce: "1610905028000",
    secret: "secretKey",
    string_to_sign:
      "private/create-order1tokenclient_oidc1exec_instPOST_ONLYinstrument_nameBTC_USDprice50000.5quantity0.0001sideBUYtime_in_forceGOOD_TILL_CANCELtypeLIMIT1610905028000",
    sig: "3bff31daf6298de6305ceb96aa65e880adc5d98d7969556cb6e5715424a53909",
  },
  {
    name: "null-value",
    method: "private/create-withdrawal",
    id: "-1",
    api_key: "token",
    params: {
      client_wid: "my_withdrawal_002",
      currency: "BTC",
      amount: "1",
      address: "XYZ",
      address_tag: "",
      network_id: null,
    },
    nonce: "1607063412000",
    secret: "secretKey",
    string_to_sign:
      "private/create-withdrawal-1tokenaddressXYZaddress_tagamount1client_widmy_withdrawal_002currencyBTCnetwork_idnull1607063412000",
    sig: "d97d7f77a10b62edd3b179b4152bee2183c519d93ec90c4e3014cc1f60eb4a03",
  },
  {
    name: "third-party-crosscheck",
    method: "private/create-order",
    id: 1,
    api_key: "my_api_key",
    params: {
      instrument_name: "BTCUSD-PERP",
      price: "50000.00",
      quantity: "0.5",
      side: "BUY",
      type: "LIMIT",
    },
    nonce: 1587523073344,
    secret: "my_secret",
    string_to_sign:
      "private/create-order1my_api_keyinstrument_nameBTCUSD-PERPprice50000.00quantity0.5sideBUYtypeLIMIT1587523073344",
    sig: "f84eaf8544c5d9023739c0ba6fb5207efd4897b91c14e055acd7e910bac8bfd4",
  },
  {
    name: "empty-params-user-balance",
    method: "private/user-balance",
    id: 1,
    api_key: "token",
    params: {},
    nonce: 1611022832613,
    secret: "secretKey",
    string_to_sign: "private/user-balance1token1611022832613",
    sig: "a5219b0ebc3d02123ad5c10c5094a2c4bb1214bbb078dd005c1920a3da5933b1",
  },
  {
    name: "seed-sell-btc-usd",
    method: "private/create-order",
    id: 1,
    api_key: "token",
    params: {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.00011",
      client_oid: "atp-demo-1",
    },
    nonce: 1764300000000,
    secret: "secretKey",
    string_to_sign:
      "private/create-order1tokenclient_oidatp-demo-1instrument_nameBTC_USDquantity0.00011sideSELLtypeMARKET1764300000000",
    sig: "feef9834a9bf5cf876ede11caf02db83bdb97b9204d91ebe5f471a49d927280c",
  },
];
