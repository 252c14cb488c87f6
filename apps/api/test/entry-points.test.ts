import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import jwt from "jsonwebtoken";
import { repoRoot } from "../src/paths.js";
import { distEntry, startProcess } from "./support/processes.js";

describe("the built server and its commands", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jobdeck-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({
    DATABASE_URL: `file:${join(dir, "db", "jobdeck.db")}`,
    DATA_DIR: join(dir, "data"),
    LOG_LEVEL: "warn",
    WORKER_CONCURRENCY: "0",
  });

  it("migrates a new database, prints the URL and a working sign-in link, and stops cleanly on SIGTERM", async () => {
    const server = startProcess(distEntry("main.js"), [], { ...env(), PORT: "0" });
    const [, url] = await server.waitFor(/jobdeck is running at (http:\/\/127\.0\.0\.1:\d+)/);
    const [, link] = await server.waitFor(/Sign in as "demo" \(valid 24 h\): (\S+)/);
    expect(link).toMatch(new RegExp(`^${url}/#token=`));
    const token = new URL(link!).hash.replace("#token=", "");
    expect(jwt.decode(token)).toMatchObject({ sub: "demo" });
    const list = await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("mints tokens with the same generated key, honouring --ttl", async () => {
    const token = execFileSync(
      process.execPath,
      [distEntry("cli/token.js"), "--sub", "alice", "--ttl", "2h"],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env() },
        encoding: "utf8",
      },
    ).trim();
    const claims = jwt.decode(token) as { sub: string; exp: number; iat: number };
    expect(claims.sub).toBe("alice");
    expect(claims.exp - claims.iat).toBe(7200);
    const server = startProcess(distEntry("main.js"), [], { ...env(), PORT: "0" });
    const [, url] = await server.waitFor(/jobdeck is running at (http:\/\/127\.0\.0\.1:\d+)/);
    expect(
      (await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    server.child.kill("SIGTERM");
    await server.exited;
  });

  it("refuses bad arguments and bad configuration with one line naming the problem", () => {
    const noSub = spawnSync(process.execPath, [distEntry("cli/token.js")], {
      cwd: repoRoot,
      env: { ...process.env, ...env() },
      encoding: "utf8",
    });
    expect(noSub.status).toBe(1);
    expect(noSub.stderr.trim()).toBe("token: --sub <userId> is required");
    const badTtl = spawnSync(process.execPath, [distEntry("cli/token.js"), "--sub", "a", "--ttl", "soon"], {
      cwd: repoRoot,
      env: { ...process.env, ...env() },
      encoding: "utf8",
    });
    expect(badTtl.status).toBe(1);
    expect(badTtl.stderr).toContain("--ttl");
    const badPort = spawnSync(process.execPath, [distEntry("main.js")], {
      cwd: repoRoot,
      env: { ...process.env, ...env(), PORT: "eighty" },
      encoding: "utf8",
    });
    expect(badPort.status).toBe(1);
    expect(badPort.stderr.trim()).toBe("jobdeck: invalid configuration: PORT: must be a whole number");
  });

  it("in production: refuses a weak secret, prints no token, and logs neither tokens nor payloads", async () => {
    const weak = spawnSync(process.execPath, [distEntry("main.js")], {
      cwd: repoRoot,
      env: { ...process.env, ...env(), NODE_ENV: "production", JWT_SECRET: "too-short" },
      encoding: "utf8",
    });
    expect(weak.status).toBe(1);
    expect(weak.stderr.trim()).toBe(
      "jobdeck: invalid configuration: JWT_SECRET: is required in production and must be at least 32 bytes (or set JWT_PUBLIC_KEY)",
    );

    const secret = "a-production-secret-of-at-least-32-bytes!";
    const server = startProcess(distEntry("main.js"), [], {
      ...env(),
      NODE_ENV: "production",
      JWT_SECRET: secret,
      PORT: "0",
      LOG_LEVEL: "info",
    });
    const [, url] = await server.waitFor(/jobdeck is running at (http:\/\/127\.0\.0\.1:\d+)/);
    const token = jwt.sign({ sub: "prod-user" }, secret, { expiresIn: 60 });
    const marker = "payload-marker-7f3a91";
    const created = await fetch(`${url}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "echo", payload: { secret: marker } }),
    });
    expect(created.status).toBe(201);
    await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${url}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: `{"type":"echo","payload":{"secret":"${marker}"},"x":1}`,
    });
    await server.waitFor(/"statusCode":400/);
    server.child.kill("SIGTERM");
    await server.exited;
    const output = server.output();
    expect(output).not.toContain("#token=");
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split(".")[2]);
    expect(output).not.toContain(marker);
    expect(output).not.toContain(secret);
    expect(output).toContain('"userId":"prod-user"');
  });

  it("applies migrations alone with db:migrate", () => {
    const fresh = { ...env(), DATABASE_URL: `file:${join(dir, "fresh.db")}` };
    const first = execFileSync(process.execPath, [distEntry("cli/migrate.js")], {
      cwd: repoRoot,
      env: { ...process.env, ...fresh },
      encoding: "utf8",
    });
    expect(first).toMatch(/^applied: \d+_init/);
    const second = execFileSync(process.execPath, [distEntry("cli/migrate.js")], {
      cwd: repoRoot,
      env: { ...process.env, ...fresh },
      encoding: "utf8",
    });
    expect(second.trim()).toBe("the database is up to date");
  });
});
