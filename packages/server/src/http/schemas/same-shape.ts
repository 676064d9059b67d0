/**
 * `true` when A and B are the same type, else `false`: a schema's inferred type and the vault's
 * answer type are declared `const x: SameShape<…> = true`, so that they cannot drift apart.
 */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
