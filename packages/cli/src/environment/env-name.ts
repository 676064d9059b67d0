/**
 * The environment variable a secret becomes: its path below the namespace (or its key) in
 * capitals, every other character an underscore (`openai/api-key` → `OPENAI_API_KEY`).
 */
export function envNameOf(relativePath: string): string {
  const name = relativePath.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Whether `name` can be a variable in every shell (`[A-Za-z_][A-Za-z0-9_]*`). */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** The path below `namespace` (`""` lists everything, so the whole path). */
export function relativeTo(namespace: string, path: string): string {
  return namespace === "" ? path : path.slice(namespace.length + 1);
}
