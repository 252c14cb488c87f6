import { createHmac } from "node:crypto";

/** The HS256 secret the bench gives every server it starts (jobdeck and the baselines). */
export const BENCH_JWT_SECRET = "jobdeck-bench-secret-0123456789abcdef0123456789";

/** An HS256 JWT for `sub`, valid for a day: what `npm run token` would print. */
export function benchToken(sub: string, secret = BENCH_JWT_SECRET): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ sub, iat: now, exp: now + 86_400 })}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
