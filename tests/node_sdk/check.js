// A merchant program written against Juspay's documentation, using Juspay's official Node
// SDK, pointed at `paydesk emulator` (EMULATOR_URL). It creates a session, reads the
// order status, and checks the SDK's own error classes for a refused key and an unknown
// order. Prints one JSON line with what it saw; exits non-zero on the first surprise.
//
//   EMULATOR_URL=http://127.0.0.1:PORT node --require ./loopback_shim.js check.js
'use strict';
const { Juspay } = require('expresscheckout-nodejs');

const baseUrl = process.env.EMULATOR_URL;
const merchantId = process.env.EMULATOR_MERCHANT_ID || 'paydesk_demo';
const apiKey = process.env.EMULATOR_API_KEY || 'demo_key_paydesk';

function expect(condition, what, seen) {
  if (!condition) {
    throw new Error(`${what}; saw ${JSON.stringify(seen)}`);
  }
}

async function main() {
  expect(baseUrl, 'EMULATOR_URL must be set', baseUrl);
  // The SDK logs to ./logs and the console by default; keep the output to our one line.
  Juspay.customLogger = Juspay.silentLogger;
  const juspay = new Juspay({ merchantId, apiKey, baseUrl });
  const orderId = `node_${process.pid}`;

  const session = await juspay.orderSession.create({
    order_id: orderId,
    amount: '1.00',
    customer_id: 'node-customer-1',
    customer_email: 'node@example.com',
    customer_phone: '9876543210',
    payment_page_client_id: 'node_client',
    action: 'paymentPage',
    return_url: 'https://example.com/return',
    currency: 'INR',
    description: 'Node SDK check',
  });
  expect(session.status === 'NEW', 'session status NEW', session.status);
  expect(session.order_id === orderId, 'session order_id echoed', session.order_id);
  const link = session.payment_links && session.payment_links.web;
  expect(typeof link === 'string' && link.startsWith(`${baseUrl}/payment-page/order/`), 'payment link', link);
  const token = session.sdk_payload && session.sdk_payload.payload && session.sdk_payload.payload.clientAuthToken;
  expect(typeof token === 'string' && token.startsWith('tkn_'), 'clientAuthToken', typeof token);

  const status = await juspay.order.status(orderId);
  expect(status.order_id === orderId, 'status order_id', status.order_id);
  expect(status.status === 'NEW' && status.status_id === 10, 'status NEW/10', [status.status, status.status_id]);
  expect(status.amount === 1, 'amount as a number', status.amount);
  expect(status.id === session.id, 'same Juspay id', [status.id, session.id]);

  let unknown;
  try {
    await juspay.order.status(`${orderId}_missing`);
  } catch (e) {
    unknown = e;
  }
  expect(unknown && unknown.name === 'InvalidRequestError', 'unknown order is InvalidRequestError', unknown && unknown.name);
  expect(unknown.status === 'NOT_FOUND', 'unknown order status NOT_FOUND', unknown.status);

  let refused;
  try {
    await new Juspay({ merchantId, apiKey: 'not-the-key', baseUrl }).order.status(orderId);
  } catch (e) {
    refused = e;
  }
  expect(refused && refused.name === 'AuthenticationError', 'wrong key is AuthenticationError', refused && refused.name);

  console.log(JSON.stringify({
    ok: true,
    order_id: orderId,
    juspay_id: session.id,
    session_status: session.status,
    order_status: status.status,
    unknown_order: unknown.name,
    wrong_key: refused.name,
  }));
}

main().catch((e) => {
  console.error(`node SDK check failed: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
