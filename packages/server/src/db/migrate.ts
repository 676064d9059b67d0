import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { initialMigration } from "./migrations/001-initial.js";
import { approvalDecisionsMigration } from "./migrations/002-approval-decisions.js";
import type { Database } from "./schema.js";

/** Migrations live in code (no file-system scan), so a bundled build carries them along. */
const migrations: Record<string, Migration> = {
  "001-initial": initialMigration,
  "002-approval-decisions": approvalDecisionsMigration,
};

const inCodeProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Brings the schema up to date; called at every start. Throws when a migration fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: inCodeProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(
      `Database migration ${failed?.migrationName ?? "(unknown)"} failed: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}
