import { useEffect, useState } from "react";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";

// ts-rest reads a text/* answer as a string; an artifact is bytes whatever its type says. Defined
// once, so that the query keeps returning the same Blob (a new one would make a new object URL).
const toBlob = ({ body, headers }: { body: unknown; headers: Headers }): Blob =>
  body instanceof Blob ? body : new Blob([String(body)], { type: headers.get("content-type") ?? "" });

/**
 * A job's artifact (GET /v1/jobs/:id/artifact) as an object URL. The route needs the bearer token,
 * so an <img src> cannot load it directly: the bytes are fetched, cached, and shown through a blob:
 * URL that is revoked when the component goes away.
 */
export function useArtifactUrl(jobId: string, isEnabled: boolean) {
  const query = tsr.jobs.getJobArtifact.useQuery({
    queryKey: queryKeys.getJobArtifact(jobId),
    queryData: { params: { jobId } },
    enabled: isEnabled,
    staleTime: Infinity,
    select: toBlob,
  });
  const blob = query.data;
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!blob) return;
    const objectUrl = URL.createObjectURL(blob);
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(undefined);
    };
  }, [blob]);
  return { ...query, url };
}
