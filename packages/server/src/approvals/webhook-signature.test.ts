import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { signWebhookPayload, verifyWebhookSignature } from "./webhook-signature.js";

const SECRET = "whsec-fake-canary-0123456789";
const BODY = '{"id":"whd_1","type":"approval.requested","approval":{"id":"apr_1"}}';
const SENT_AT = 1_768_471_200; // 2026-01-15T10:00:00Z
const sentAt =
  (offsetSeconds = 0) =>
  () =>
    new Date((SENT_AT + offsetSeconds) * 1000);

describe("verifyWebhookSignature", () => {
  it("accepts a body signed with the same secret at about the same time", () => {
    const header = signWebhookPayload(SECRET, BODY, SENT_AT);
    expect(header).toMatch(/^t=1768471200,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt(30) })).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, Buffer.from(BODY), { now: sentAt() })).toBe(true);
  });

  it("rejects a tampered body", () => {
    const header = signWebhookPayload(SECRET, BODY, SENT_AT);
    const tampered = BODY.replace("approval.requested", "approval.granted");
    expect(verifyWebhookSignature(SECRET, header, tampered, { now: sentAt() })).toBe(false);
  });

  it("rejects a signature made with another secret", () => {
    const header = signWebhookPayload("another-fake-secret-abcdef", BODY, SENT_AT);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt() })).toBe(false);
  });

  it("rejects a replay older than the tolerance, and a timestamp too far ahead", () => {
    const header = signWebhookPayload(SECRET, BODY, SENT_AT);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt(300) })).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt(301) })).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt(-301) })).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, header, BODY, { now: sentAt(301), toleranceSeconds: 600 }),
    ).toBe(true);
  });

  it("rejects a timestamp changed after signing", () => {
    const header = signWebhookPayload(SECRET, BODY, SENT_AT).replace(
      `t=${SENT_AT}`,
      `t=${SENT_AT + 1}`,
    );
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt() })).toBe(false);
  });

  it("accepts a header listing several v1 signatures when one of them matches", () => {
    const valid = signWebhookPayload(SECRET, BODY, SENT_AT).split("v1=")[1];
    const header = `t=${SENT_AT},v1=${"0".repeat(64)},v1=${valid}`;
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt() })).toBe(true);
  });

  it.each([
    ["a missing header", undefined],
    ["an empty header", ""],
    ["a header without v1", `t=${SENT_AT}`],
    ["a header without t", `v1=${"a".repeat(64)}`],
    ["a non-numeric timestamp", `t=soon,v1=${"a".repeat(64)}`],
    ["a short signature", `t=${SENT_AT},v1=abc`],
    ["a duplicated header", [`t=${SENT_AT},v1=${"a".repeat(64)}`, `t=${SENT_AT},v1=x`]],
  ])("rejects %s", (_name, header) => {
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: sentAt() })).toBe(false);
  });

  it("refuses to run without a secret", () => {
    expect(() => verifyWebhookSignature("", "t=1,v1=a", BODY)).toThrow(TypeError);
  });

  test.prop([fc.string({ maxLength: 200 }), fc.string({ maxLength: 50 })])(
    "answers false, never throws, for arbitrary headers and bodies",
    (header, body) => {
      expect(verifyWebhookSignature(SECRET, header, body, { now: sentAt() })).toBe(false);
    },
  );
});
