import { setTimeout as delay } from "node:timers/promises";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/index.js";
import { adminQuery, createTestDatabase, testProviders } from "./support/databases.js";

/**
 * A connection the writer holds inside a transaction is cut by the server (a restart, an
 * administrator) while no statement runs on it. pg then emits 'error' on the client, which the pool
 * does not listen to while the client is checked out; unheard, that event ends the process. It
 * must instead fail only that transaction.
 */
const providers = await testProviders();

describe.runIf(providers.includes("postgresql"))(
  "a PostgreSQL connection lost inside a writer transaction",
  () => {
    it("fails that transaction only; the process lives on and the next transaction gets a new connection", async () => {
      const database = await createTestDatabase("postgresql");
      const warnings: string[] = [];
      const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(line) });
      // One write connection: the second transaction can only succeed on a replacement.
      const db = await openDatabase(database.url, { logger, writePoolSize: 1 });
      try {
        await expect(
          db.writer.transaction(async (tx) => {
            const [row] = await tx.all("SELECT pg_backend_pid() AS pid");
            await adminQuery(`SELECT pg_terminate_backend(${Number(row!.pid)})`);
            // The server's goodbye arrives now, between two statements.
            await delay(300);
            return tx.all("SELECT 1");
          }),
        ).rejects.toThrow();
        expect(warnings.join("")).toMatch(/a PostgreSQL connection failed inside a transaction/);

        const rows = await db.writer.transaction((tx) => tx.all("SELECT 1 AS one"));
        expect(rows).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
        await database.drop();
      }
    });
  },
);
