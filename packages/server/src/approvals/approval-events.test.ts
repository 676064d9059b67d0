import { describe, expect, it } from "vitest";
import { type ApprovalChange, createInProcessApprovalEvents } from "./approval-events.js";

const change: ApprovalChange = { tenantId: "ten_1", approvalId: "apr_1", status: "approved" };

describe("createInProcessApprovalEvents", () => {
  it("delivers a change to the subscribers of that request only", () => {
    const events = createInProcessApprovalEvents();
    const seen: string[] = [];
    events.subscribe("ten_1", "apr_1", (received) => seen.push(`a:${received.status}`));
    events.subscribe("ten_1", "apr_2", () => seen.push("other request"));
    events.subscribe("ten_2", "apr_1", () => seen.push("other tenant"));
    events.publish(change);
    expect(seen).toEqual(["a:approved"]);
  });

  it("stops delivering after unsubscribe, once per subscription", () => {
    const events = createInProcessApprovalEvents();
    let calls = 0;
    const listener = () => {
      calls += 1;
    };
    const first = events.subscribe("ten_1", "apr_1", listener);
    const second = events.subscribe("ten_1", "apr_1", listener);
    events.publish(change);
    expect(calls).toBe(2);
    first();
    events.publish(change);
    expect(calls).toBe(3);
    second();
    second();
    events.publish(change);
    expect(calls).toBe(3);
  });

  it("keeps delivering to the others when one listener throws", () => {
    const events = createInProcessApprovalEvents();
    let delivered = false;
    events.subscribe("ten_1", "apr_1", () => {
      throw new Error("broken listener");
    });
    events.subscribe("ten_1", "apr_1", () => {
      delivered = true;
    });
    expect(() => events.publish(change)).not.toThrow();
    expect(delivered).toBe(true);
  });

  it("delivers every change of a tenant to its tenant subscribers, and only that tenant's", () => {
    const events = createInProcessApprovalEvents();
    const seen: string[] = [];
    const stop = events.subscribeTenant?.("ten_1", (received) => seen.push(received.approvalId));
    events.subscribeTenant?.("ten_2", () => seen.push("other tenant"));
    events.publish(change);
    events.publish({ ...change, approvalId: "apr_2", status: "pending" });
    stop?.();
    events.publish(change);
    expect(seen).toEqual(["apr_1", "apr_2"]);
  });

  it("is live, and wakes every listener with its own request's id when told to", () => {
    const events = createInProcessApprovalEvents();
    const seen: string[] = [];
    events.subscribe("ten_1", "apr_1", (received) =>
      seen.push(`${received.approvalId}:${received.status}`),
    );
    events.subscribe("ten_2", "apr_9", (received) =>
      seen.push(`${received.approvalId}:${received.status}`),
    );
    expect(events.isLive?.()).toBe(true);
    events.wakeAll();
    expect(seen.sort()).toEqual(["apr_1:pending", "apr_9:pending"]);
  });
});
