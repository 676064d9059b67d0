import type { SecretMetadata } from "./secret-metadata.js";

/** One page of a namespace listing. */
export interface SecretPage {
  /** Metadata of the secrets on this page, ordered by path. Values are never listed. */
  readonly items: readonly SecretMetadata[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  readonly nextCursor: string | null;
  /** The namespace that was listed. */
  readonly namespace: string;
}
