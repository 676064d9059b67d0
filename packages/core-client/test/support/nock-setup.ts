import nock from "nock";
import { afterEach, beforeAll, beforeEach, expect } from "vitest";

/** Intercept HTTP with nock, refuse any unmatched request, and check every mock was used. */
export function useNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  beforeEach(() => {
    nock.cleanAll();
  });
  afterEach(() => {
    const unused = nock.pendingMocks();
    nock.cleanAll();
    expect(unused, "every mocked request was made").toEqual([]);
  });
}
