import { describe, expect, it } from "vitest";
import { isPostgresConflict, isSqliteConflict, isUniqueViolation } from "./database-errors.js";

const withCode = (code: string) => Object.assign(new Error("database error"), { code });

describe("database errors", () => {
  it("recognises a unique violation from either engine", () => {
    expect(isUniqueViolation(withCode("23505"))).toBe(true);
    expect(isUniqueViolation(withCode("SQLITE_CONSTRAINT_UNIQUE"))).toBe(true);
    expect(isUniqueViolation(withCode("SQLITE_CONSTRAINT_PRIMARYKEY"))).toBe(true);
    expect(isUniqueViolation(withCode("SQLITE_CONSTRAINT_NOTNULL"))).toBe(false);
    expect(isUniqueViolation(withCode("23502"))).toBe(false);
    expect(isUniqueViolation(new Error("no code"))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it("retries PostgreSQL races (unique key taken, parent deleted, serialization, deadlock) and nothing else", () => {
    for (const code of ["23505", "23503", "40001", "40P01"]) {
      expect(isPostgresConflict(withCode(code)), code).toBe(true);
    }
    for (const code of ["23502", "42P01", "57014", "SQLITE_BUSY_SNAPSHOT"]) {
      expect(isPostgresConflict(withCode(code)), code).toBe(false);
    }
    expect(isPostgresConflict("23505")).toBe(false);
  });

  it("retries a SQLite transaction only when another process made its snapshot stale", () => {
    expect(isSqliteConflict(withCode("SQLITE_BUSY_SNAPSHOT"))).toBe(true);
    expect(isSqliteConflict(withCode("SQLITE_BUSY"))).toBe(false);
    expect(isSqliteConflict(withCode("SQLITE_CONSTRAINT_UNIQUE"))).toBe(false);
  });
});
