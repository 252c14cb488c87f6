/**
 * The one way the dashboard talks to the API. `tsr` gives typed hooks for every route of the
 * contract; `authorizedFetch` serves the one stream they cannot read, GET /v1/events (see
 * job-event-stream.ts). Both send the session's bearer token, and both turn a 401 into a sign-out with the server's reason.
 */
import { contract, type ErrorBody } from "@jobdeck/contract";
import { tsRestFetchApi, type ApiFetcher } from "@ts-rest/core";
import { initTsrReactQuery } from "@ts-rest/react-query/v5";
import { currentToken, signOut } from "./session";

function unauthorized(sentToken: string | undefined, body: unknown): void {
  // A late answer to a request made with an older token must not end the session that replaced it.
  if (sentToken === undefined || sentToken !== currentToken()) return;
  const message = (body as Partial<ErrorBody> | undefined)?.error?.message;
  signOut(`The server refused your token${message ? ` (“${message}”)` : ""}. Sign in again to continue.`);
}

const bearer = (token: string | undefined) => (token ? `Bearer ${token}` : undefined);

const api: ApiFetcher = async (args) => {
  const sent = args.headers.authorization?.replace(/^Bearer /, "");
  const response = await tsRestFetchApi(args);
  if (response.status === 401) unauthorized(sent, response.body);
  return response;
};

export const tsr = initTsrReactQuery(contract, {
  baseUrl: "",
  baseHeaders: { authorization: () => bearer(currentToken()) ?? "" },
  api,
});

/**
 * The QueryClient with typed reads and writes per route (`queryClient.jobs.getJob.setQueryData`),
 * from `tsr.useQueryClient()`; outside React (tests), from `tsr.initQueryClient(new QueryClient())`.
 */
export type TsrQueryClient = ReturnType<typeof tsr.useQueryClient>;

/** fetch() with the session's token, for the event stream. */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = currentToken();
  const headers = new Headers(init.headers);
  const auth = bearer(token);
  if (auth) headers.set("authorization", auth);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    unauthorized(token, body);
  }
  return response;
}
