import pg from "pg";
import { describe, expect, it } from "vitest";
import { escapeLiteral } from "../src/db/dialect/postgresql.js";

/**
 * The events of a transaction go to PostgreSQL as text with their values written in as literals
 * (db/dialect/postgresql.ts): its own escapeLiteral must write exactly what pg's does, whatever
 * the text.
 */
describe("escapeLiteral", () => {
  const texts = [
    "",
    "plain",
    "it's",
    "''",
    "back\\slash",
    "\\'",
    "'\\",
    "E'x'",
    '{"a":"b\\"c","d":"\\\\n"}',
    "ünïcödé ✓ 𝄞",
    "line\nbreak\ttab",
    "$1 $$ @name",
  ];

  it("writes what pg's client.escapeLiteral writes", () => {
    const client = new pg.Client();
    for (const text of texts) expect(escapeLiteral(text), text).toBe(client.escapeLiteral(text));
    const random = Array.from({ length: 200 }, () =>
      Array.from({ length: 20 }, () => "ab'\\\"{}\n é"[Math.floor(Math.random() * 11)]).join(""),
    );
    for (const text of random) expect(escapeLiteral(text), text).toBe(client.escapeLiteral(text));
  });
});
