import { describe, expect, it } from "vitest";
import { findLeaks } from "../lib/model-traffic.js";

describe("findLeaks", () => {
  const values = { "crm key": "fake-crm-key-1", "db password": 'fake-"quoted"\\pass' };

  it("names each value found in any text", () => {
    const texts = ["nothing here", '{"content":"the key is fake-crm-key-1"}'];
    expect(findLeaks(texts, values)).toEqual(["crm key"]);
  });

  it("finds a value that sits JSON-escaped inside a serialised message", () => {
    const texts = [JSON.stringify({ content: `password ${values["db password"]}` })];
    expect(findLeaks(texts, values)).toEqual(["db password"]);
  });

  it("reports nothing when no text holds a value", () => {
    expect(findLeaks(["[REDACTED]", "fake-crm-key"], values)).toEqual([]);
  });
});
