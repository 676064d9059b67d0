import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type ApprovalAction,
  type ApprovalDecision,
  type ApprovalState,
  type ApprovalTier,
  decideApproval,
  effectiveStatus,
  newApprovalState,
  requiredApprovals,
  settleApproval,
} from "./approval-policy.js";

const T0 = new Date("2026-01-15T10:00:00.000Z");
const REQUESTER = "agt_requester";

function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

function pending(tier: ApprovalTier, overrides: Partial<ApprovalState> = {}): ApprovalState {
  return { ...newApprovalState({ tier, requesterId: REQUESTER }, T0), ...overrides };
}

function accepted<State extends ApprovalState>(decision: ApprovalDecision<State>): State {
  if (!decision.ok) throw new Error(`expected acceptance, got ${decision.rejection.reason}`);
  return decision.state;
}

function rejectionReason(decision: ApprovalDecision<ApprovalState>): string {
  if (decision.ok) throw new Error(`expected a rejection, got outcome ${decision.outcome}`);
  return decision.rejection.reason;
}

function approve(by: string, comment: string | null = null): ApprovalAction {
  return { type: "approve", by, comment };
}

describe("tiers", () => {
  it("requires 0, 1 and 2 approvals for standard, sensitive and critical", () => {
    expect(requiredApprovals("standard")).toBe(0);
    expect(requiredApprovals("sensitive")).toBe(1);
    expect(requiredApprovals("critical")).toBe(2);
  });
});

describe("newApprovalState", () => {
  it("approves a standard request at once", () => {
    const state = newApprovalState({ tier: "standard", requesterId: REQUESTER }, T0);
    expect(state.status).toBe("approved");
    expect(effectiveStatus(state, T0)).toBe("approved");
  });

  it("opens a sensitive request as pending for 24 hours by default", () => {
    const state = newApprovalState({ tier: "sensitive", requesterId: REQUESTER }, T0);
    expect(state).toMatchObject({ status: "pending", approvals: [], eligibleAt: null });
    expect(state.expiresAt).toEqual(at(86_400));
  });

  it("uses the configured request lifetime", () => {
    const state = newApprovalState({ tier: "critical", requesterId: REQUESTER }, T0, {
      requestTtlSeconds: 600,
    });
    expect(state.expiresAt).toEqual(at(600));
  });

  it("refuses a negative or non-finite duration in the configuration", () => {
    const request = { tier: "critical", requesterId: REQUESTER } as const;
    expect(() => newApprovalState(request, T0, { requestTtlSeconds: -1 })).toThrow(RangeError);
    const state = pending("critical");
    expect(() =>
      decideApproval(state, approve("adm_a"), T0, { criticalDelaySeconds: Number.NaN }),
    ).toThrow(RangeError);
  });
});

describe("sensitive requests", () => {
  it("are approved by one approver at once", () => {
    const result = decideApproval(
      pending("sensitive"),
      approve("adm_a", "ok for the deploy"),
      at(5),
    );
    expect(result.ok && result.outcome).toBe("approved");
    const state = accepted(result);
    expect(state).toMatchObject({ status: "approved", eligibleAt: at(5), decidedAt: at(5) });
    expect(state.approvals).toEqual([{ by: "adm_a", at: at(5), comment: "ok for the deploy" }]);
  });

  it("can never be approved by their requester", () => {
    const result = decideApproval(pending("sensitive"), approve(REQUESTER), at(5));
    expect(rejectionReason(result)).toBe("self_approval");
  });

  it("are denied by an approver, who is recorded", () => {
    const result = decideApproval(pending("sensitive"), { type: "deny", by: "adm_a" }, at(5));
    expect(result.ok && result.outcome).toBe("denied");
    expect(accepted(result)).toMatchObject({
      status: "denied",
      decidedAt: at(5),
      decidedBy: "adm_a",
    });
  });

  it("cannot change once denied", () => {
    const denied = accepted(
      decideApproval(pending("sensitive"), { type: "deny", by: "adm_a" }, T0),
    );
    const result = decideApproval(denied, approve("adm_b"), at(1));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.rejection).toMatchObject({ reason: "not_pending", status: "denied" });
  });
});

describe("critical requests", () => {
  const firstApproved = accepted(decideApproval(pending("critical"), approve("adm_a"), at(10)));

  it("record the first approval and stay pending", () => {
    const result = decideApproval(pending("critical"), approve("adm_a"), at(10));
    expect(result.ok && result.outcome).toBe("recorded");
    expect(firstApproved).toMatchObject({ status: "pending", eligibleAt: null });
    expect(firstApproved.approvals).toHaveLength(1);
  });

  it("refuse a second approval from the same approver", () => {
    const result = decideApproval(firstApproved, approve("adm_a"), at(20));
    expect(rejectionReason(result)).toBe("same_approver_twice");
  });

  it("refuse an approval from the requester even as the second approver", () => {
    const result = decideApproval(firstApproved, approve(REQUESTER), at(20));
    expect(rejectionReason(result)).toBe("self_approval");
  });

  it("wait 300 seconds after the second approval before they are approved", () => {
    const result = decideApproval(firstApproved, approve("adm_b"), at(20));
    expect(result.ok && result.outcome).toBe("delayed");
    const delayed = accepted(result);
    expect(delayed).toMatchObject({ status: "pending", eligibleAt: at(320), decidedAt: null });
    expect(effectiveStatus(delayed, at(319))).toBe("pending");
    expect(effectiveStatus(delayed, at(320))).toBe("approved");
  });

  it("use the configured delay, and approve at once with a delay of 0", () => {
    const oneMinute = accepted(
      decideApproval(firstApproved, approve("adm_b"), at(20), { criticalDelaySeconds: 60 }),
    );
    expect(oneMinute.eligibleAt).toEqual(at(80));
    const immediate = decideApproval(firstApproved, approve("adm_b"), at(20), {
      criticalDelaySeconds: 0,
    });
    expect(immediate.ok && immediate.outcome).toBe("approved");
    expect(accepted(immediate)).toMatchObject({ status: "approved", decidedAt: at(20) });
  });

  it("refuse a third approval during the delay as already decided", () => {
    const delayed = accepted(decideApproval(firstApproved, approve("adm_b"), at(20)));
    const result = decideApproval(delayed, approve("adm_c"), at(30));
    expect(rejectionReason(result)).toBe("already_decided");
  });

  it("can be cancelled by the requester during the delay, and then never become approved", () => {
    const delayed = accepted(decideApproval(firstApproved, approve("adm_b"), at(20)));
    const result = decideApproval(delayed, { type: "cancel", by: REQUESTER }, at(100));
    expect(result.ok && result.outcome).toBe("cancelled");
    const cancelled = accepted(result);
    expect(cancelled).toMatchObject({ status: "cancelled", decidedBy: REQUESTER });
    expect(effectiveStatus(cancelled, at(10_000))).toBe("cancelled");
  });

  it("can be denied by an approver during the delay", () => {
    const delayed = accepted(decideApproval(firstApproved, approve("adm_b"), at(20)));
    const denied = accepted(decideApproval(delayed, { type: "deny", by: "adm_c" }, at(100)));
    expect(effectiveStatus(denied, at(10_000))).toBe("denied");
  });

  it("cannot be cancelled once the delay is over", () => {
    const delayed = accepted(decideApproval(firstApproved, approve("adm_b"), at(20)));
    const result = decideApproval(delayed, { type: "cancel", by: REQUESTER }, at(320));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection).toMatchObject({ reason: "not_pending", status: "approved" });
    }
  });

  it("expire when the request lapses before the delay ends", () => {
    const shortLived = pending("critical", { expiresAt: at(200) });
    const first = accepted(decideApproval(shortLived, approve("adm_a"), at(10)));
    const delayed = accepted(decideApproval(first, approve("adm_b"), at(20)));
    expect(effectiveStatus(delayed, at(199))).toBe("pending");
    expect(effectiveStatus(delayed, at(320))).toBe("expired");
  });

  it("count a tie between the delay's end and the expiry as expired", () => {
    const tied = pending("critical", {
      approvals: [
        { by: "adm_a", at: T0, comment: null },
        { by: "adm_b", at: T0, comment: null },
      ],
      eligibleAt: at(300),
      expiresAt: at(300),
    });
    expect(effectiveStatus(tied, at(300))).toBe("expired");
  });
});

describe("expiry", () => {
  it("refuses to expire a request before its expiry time", () => {
    const result = decideApproval(pending("sensitive"), { type: "expire" }, at(10));
    expect(rejectionReason(result)).toBe("not_due");
  });

  it("expires an overdue request, dated at its expiry time", () => {
    const result = decideApproval(pending("sensitive"), { type: "expire" }, at(90_000));
    expect(result.ok && result.outcome).toBe("expired");
    expect(accepted(result)).toMatchObject({ status: "expired", decidedAt: at(86_400) });
  });

  it("refuses approvals once the request has expired, even if not yet stored as expired", () => {
    const result = decideApproval(pending("sensitive"), approve("adm_a"), at(86_400));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.rejection).toMatchObject({ reason: "not_pending", status: "expired" });
  });
});

describe("settleApproval", () => {
  it("stores a critical request as approved at the end of its delay", () => {
    const delayed = pending("critical", {
      approvals: [
        { by: "adm_a", at: T0, comment: null },
        { by: "adm_b", at: T0, comment: null },
      ],
      eligibleAt: at(300),
    });
    expect(settleApproval(delayed, at(299))).toBe(delayed);
    expect(settleApproval(delayed, at(400))).toMatchObject({
      status: "approved",
      decidedAt: at(300),
    });
  });
});

it("keeps the caller's extra fields and never mutates the given state", () => {
  const state = { ...pending("critical"), id: "apr_1", scopes: ["secrets:read:prod/db/*"] };
  const before = structuredClone(state);
  const next = accepted(decideApproval(state, approve("adm_a"), at(1)));
  expect(next.id).toBe("apr_1");
  expect(next.scopes).toEqual(["secrets:read:prod/db/*"]);
  expect(state).toEqual(before);
});

// Random histories: a small set of people (the requester among them) act on a request at
// increasing times, so that repeats, self-approvals, delays and expiry all come up often.
const PEOPLE = [REQUESTER, "adm_a", "adm_b", "adm_c"] as const;
const personArbitrary = fc.constantFrom(...PEOPLE);
const actionArbitrary: fc.Arbitrary<ApprovalAction> = fc.oneof(
  { weight: 6, arbitrary: personArbitrary.map((by) => approve(by)) },
  { weight: 1, arbitrary: personArbitrary.map((by) => ({ type: "deny", by }) as const) },
  { weight: 1, arbitrary: personArbitrary.map((by) => ({ type: "cancel", by }) as const) },
  { weight: 1, arbitrary: fc.constant({ type: "expire" } as const) },
);
const historyArbitrary = fc.record({
  tier: fc.constantFrom<ApprovalTier>("sensitive", "critical"),
  delaySeconds: fc.constantFrom(0, 60, 300),
  ttlSeconds: fc.constantFrom(120, 600, 3600),
  steps: fc.array(fc.tuple(actionArbitrary, fc.integer({ min: 0, max: 200 })), { maxLength: 12 }),
});

type History = typeof historyArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

/** Plays a history; returns every state reached and the time of the last step. */
function play(history: History): { states: ApprovalState[]; end: Date } {
  const config = {
    criticalDelaySeconds: history.delaySeconds,
    requestTtlSeconds: history.ttlSeconds,
  };
  let state = newApprovalState({ tier: history.tier, requesterId: REQUESTER }, T0, config);
  const states = [state];
  let seconds = 0;
  for (const [action, gap] of history.steps) {
    seconds += gap;
    const result = decideApproval(state, action, at(seconds), config);
    if (result.ok) {
      state = result.state;
      states.push(state);
    }
  }
  return { states, end: at(seconds) };
}

describe("properties over random histories", () => {
  test.prop([historyArbitrary])(
    "an approved request has the tier's number of different approvers, none the requester",
    (history) => {
      const { states, end } = play(history);
      for (const state of states) {
        for (const probe of [end, at(100_000)]) {
          if (effectiveStatus(state, probe) !== "approved") continue;
          const approvers = new Set(state.approvals.map((entry) => entry.by));
          expect(approvers.size).toBe(requiredApprovals(state.tier));
          expect(state.approvals).toHaveLength(approvers.size);
          expect(approvers.has(REQUESTER)).toBe(false);
        }
      }
    },
  );

  test.prop([fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 })])(
    "two approvals by one person never approve a critical request",
    (gaps) => {
      let state = pending("critical");
      let seconds = 0;
      for (const gap of gaps) {
        seconds += gap;
        const result = decideApproval(state, approve("adm_a"), at(seconds));
        if (result.ok) state = result.state;
      }
      expect(state.approvals.length).toBeLessThanOrEqual(1);
      expect(effectiveStatus(state, at(seconds + 100_000))).not.toBe("approved");
    },
  );

  test.prop([historyArbitrary])(
    "a critical request is approved no earlier than the delay after its second approval",
    (history) => {
      const { states } = play({ ...history, tier: "critical" });
      const last = states.at(-1)!;
      const second = last.approvals[1];
      if (second === undefined) return;
      const earliest = second.at.getTime() + history.delaySeconds * 1000;
      expect(last.eligibleAt?.getTime()).toBeGreaterThanOrEqual(earliest);
      if (last.status === "pending") {
        expect(effectiveStatus(last, new Date(earliest - 1))).not.toBe("approved");
      }
    },
  );

  test.prop([historyArbitrary, fc.integer({ min: 0, max: 5000 })])(
    "once final, the status never changes with time or any further action",
    (history, later) => {
      const { states, end } = play(history);
      const last = states.at(-1)!;
      const status = effectiveStatus(last, end);
      if (status === "pending") return;
      const future = new Date(end.getTime() + later * 1000);
      expect(effectiveStatus(last, future)).toBe(status);
      for (const action of [
        approve("adm_c"),
        { type: "deny", by: "adm_c" },
        { type: "cancel", by: REQUESTER },
      ] satisfies ApprovalAction[]) {
        const result = decideApproval(last, action, future);
        expect(result.ok).toBe(false);
      }
    },
  );
});

describe("an admin's own requests and approvers' age (issue 17, item 4)", () => {
  const ADMIN = "adm_requester";
  const asAdmin = (tier: ApprovalTier) =>
    newApprovalState({ tier, requesterId: ADMIN, requesterApproves: true }, T0);

  it("count the requesting admin as one approver: sensitive needs nobody else, critical one other", () => {
    expect(asAdmin("sensitive").status).toBe("approved");
    const critical = asAdmin("critical");
    expect(critical.status).toBe("pending");
    expect(rejectionReason(decideApproval(critical, approve(ADMIN), at(1)))).toBe("self_approval");
    const result = decideApproval(critical, approve("adm_b"), at(1));
    expect(result.ok && result.outcome).toBe("delayed");
  });

  it("approve an immediate request (an admin action) without the critical delay", () => {
    const action = { ...asAdmin("critical"), immediate: true };
    const result = decideApproval(action, approve("adm_b"), at(1));
    expect(result.ok && result.outcome).toBe("approved");
  });

  it("refuse an approver created after the request, and accept one created at or before it", () => {
    const state = pending("critical");
    const younger = { ...approve("adm_new"), approverCreatedAt: at(1) } as ApprovalAction;
    expect(rejectionReason(decideApproval(state, younger, at(2)))).toBe("approver_too_new");
    const older = { ...approve("adm_old"), approverCreatedAt: at(0) } as ApprovalAction;
    expect(decideApproval(state, older, at(2)).ok).toBe(true);
  });
});
