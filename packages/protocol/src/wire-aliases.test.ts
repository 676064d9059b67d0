import { describe, expect, it } from "vitest";
import {
  ALLOWED_IPS_NAMES,
  APPROVAL_REQUEST_ID_NAMES,
  ROTATION_EXPIRES_AT_NAMES,
  SECRET_TYPE_NAMES,
  TAGS_NAMES,
  TIER_NAMES,
  TOKEN_VALUE_NAMES,
  WIRE_FIELD_ALIASES,
  wireNames,
} from "./wire-aliases.js";

describe("WIRE_FIELD_ALIASES", () => {
  it("names each seed field's other name", () => {
    expect(wireNames("tier")).toEqual(["tier", "access_tier"]);
    expect(wireNames("approval_request_id")).toEqual(["approval_request_id", "approval_id"]);
    expect(wireNames("path")).toEqual(["path"]);
    expect(wireNames("expires_at", "rotation")).toEqual(["expires_at", "grace_expires_at"]);
    expect(wireNames("expires_at", "secret")).toEqual(["expires_at"]);
  });

  it("exports the pairs the client reads as they are in the table", () => {
    expect(TIER_NAMES).toEqual(wireNames("tier", "secret"));
    expect(SECRET_TYPE_NAMES).toEqual(wireNames("secret_type", "secret"));
    expect(TAGS_NAMES).toEqual(wireNames("tags", "secret"));
    expect(ALLOWED_IPS_NAMES).toEqual(wireNames("allowed_ips", "token"));
    expect(TOKEN_VALUE_NAMES).toEqual(wireNames("token", "token"));
    expect(APPROVAL_REQUEST_ID_NAMES).toEqual(wireNames("approval_request_id", "token"));
    expect(APPROVAL_REQUEST_ID_NAMES).toEqual(wireNames("approval_request_id", "error"));
    expect(ROTATION_EXPIRES_AT_NAMES).toEqual(wireNames("expires_at", "rotation"));
    expect(WIRE_FIELD_ALIASES).toHaveLength(20);
  });

  it("never uses one alias for two fields in the same object", () => {
    for (const entry of WIRE_FIELD_ALIASES) {
      for (const object of entry.objects) {
        const clashes = WIRE_FIELD_ALIASES.filter(
          (other) => other.objects.includes(object) && other.alias === entry.alias,
        );
        expect(clashes, `${entry.alias} in ${object}`).toHaveLength(1);
      }
    }
  });

  it("never gives a seed field name as an alias in the same object", () => {
    for (const entry of WIRE_FIELD_ALIASES) {
      const seedNames = WIRE_FIELD_ALIASES.filter((other) =>
        other.objects.some((object) => entry.objects.includes(object)),
      ).map((other) => other.field);
      expect(seedNames).not.toContain(entry.alias);
    }
  });
});
