import { describe, expect, it } from "vitest";
import { columnTypesFor } from "./column-types.js";
import { DatabaseConfigError, postgresConnection } from "./postgres-database.js";

describe("postgresConnection", () => {
  it("takes the schema from ?schema= and leaves the rest of the URL to pg", () => {
    const connection = postgresConnection(
      "postgres://vault@127.0.0.1:5432/secrets?schema=tenant_a&sslmode=disable",
    );
    expect(connection.schema).toBe("tenant_a");
    expect(connection.clientConfig.connectionString).toBe(
      "postgres://vault@127.0.0.1:5432/secrets?sslmode=disable",
    );
  });

  it("prefers the schema given as an option, and defaults to public", () => {
    expect(postgresConnection("postgresql://127.0.0.1/db?schema=a", "b").schema).toBe("b");
    expect(postgresConnection("postgresql://127.0.0.1/db").schema).toBe("public");
  });

  it("refuses other protocols, malformed URLs and unsafe schema names without repeating the URL", () => {
    const attempts: [string, string | undefined][] = [
      ["mysql://root:canary-password-77@127.0.0.1/db", undefined],
      ["not a url canary-password-77", undefined],
      ["postgres://root:canary-password-77@127.0.0.1/db", 'x"; drop table secrets; --'],
      ["postgres://root:canary-password-77@127.0.0.1/db", "1starts_with_digit"],
    ];
    for (const [url, schema] of attempts) {
      let caught: unknown;
      try {
        postgresConnection(url, schema);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DatabaseConfigError);
      expect(String((caught as Error).message)).not.toContain("canary-password");
    }
  });

  it("reads timestamptz back as the ISO-8601 text SQLite gives, and bigint as a number", () => {
    const types = postgresConnection("postgres://127.0.0.1/db").clientConfig.types;
    const timestamp = types?.getTypeParser(1184, "text") as (text: string) => unknown;
    expect(timestamp("2026-01-15 10:30:00.123+00")).toBe("2026-01-15T10:30:00.123Z");
    expect(timestamp("2026-01-15 12:30:00+02")).toBe("2026-01-15T10:30:00.000Z");
    const bigint = types?.getTypeParser(20, "text") as (text: string) => unknown;
    expect(bigint("42")).toBe(42);
  });
});

describe("column types", () => {
  it("keeps SQLite's schema as it always was and gives PostgreSQL timestamptz", () => {
    expect(columnTypesFor("sqlite")).toEqual({
      text: "text",
      timestamp: "text",
      integer: "integer",
    });
    expect(columnTypesFor("postgres").timestamp).toBe("timestamptz");
  });
});
