/** What `importSecrets` did. */
export interface ImportResult {
  /** The namespace the keys went into (`""` = the top level). */
  readonly namespace: string;
  /** The keys imported, in the order of the `.env` text; each is now `<namespace>/<key>`. */
  readonly imported: readonly string[];
  /** How many keys were imported. */
  readonly importedCount: number;
}
