import type { Column } from "../output/format-table.js";

/** One item of `GET /v1/tokens`. */
export type ListedToken = {
  token_id: string;
  scopes: string[];
  expires_at: string;
  uses_remaining: number | null;
  approval_status: string;
  parent_token_id: string | null;
  issuer_type: string;
  issuer_id: string;
  issuer_name: string | null;
  description: string | null;
};

type TreeRow = ListedToken & { label: string };

export const TOKEN_LIST_COLUMNS: readonly Column<TreeRow>[] = [
  { header: "token", value: (row) => row.label },
  { header: "scopes", value: (row) => row.scopes },
  { header: "expires", value: (row) => new Date(row.expires_at) },
  { header: "uses left", value: (row) => row.uses_remaining ?? "unlimited" },
  {
    header: "approval",
    value: (row) => row.approval_status,
    paint: (row) =>
      row.approval_status === "pending"
        ? "yellow"
        : row.approval_status === "denied"
          ? "red"
          : undefined,
  },
  {
    header: "minted by",
    value: (row) =>
      row.issuer_type === "token"
        ? "(parent)"
        : `${row.issuer_type} ${row.issuer_id}${row.issuer_name === null ? "" : ` (${row.issuer_name})`}`,
  },
  { header: "description", value: (row) => row.description },
];

/**
 * Rows in the server's tree order (each parent right before its children), labelled with
 * their depth: `tok_a`, `└─ tok_b`, `   └─ tok_c`.
 */
export function treeRows(items: readonly ListedToken[]): TreeRow[] {
  const depth = new Map<string, number>();
  return items.map((item) => {
    const parentDepth = item.parent_token_id === null ? undefined : depth.get(item.parent_token_id);
    const level = parentDepth === undefined ? 0 : parentDepth + 1;
    depth.set(item.token_id, level);
    const label = level === 0 ? item.token_id : `${"   ".repeat(level - 1)}└─ ${item.token_id}`;
    return { ...item, label };
  });
}
