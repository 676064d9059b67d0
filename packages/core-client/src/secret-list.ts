import type { SecretMetadata } from "./models/secret-metadata.js";
import type { SecretPage } from "./models/secret-page.js";
import { PagedList } from "./paged-list.js";

/**
 * What `listSecrets` returns: await it for one page, or iterate it with `for await` for
 * every item of every page. Nothing is requested until it is awaited or iterated.
 *
 * @example
 * const page = await vault.listSecrets("production", { limit: 50 }); // page.items, page.nextCursor
 * for await (const item of vault.listSecrets("production")) paths.push(item.path);
 */
export class SecretList extends PagedList<SecretMetadata, SecretPage> {
  protected override describeListing(page: SecretPage): string {
    return `namespace "${page.namespace}"`;
  }
}
