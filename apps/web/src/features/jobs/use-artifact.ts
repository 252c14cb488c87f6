import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fetchArtifact, isNotFound } from "../../lib/live-api";
import { queryKeys } from "../../lib/query-keys";

/**
 * A job's artifact as an object URL. The artifact route needs the bearer token, so an <img src>
 * cannot load it directly: the bytes are fetched, cached, and shown through a blob: URL that is
 * revoked when the component goes away.
 */
export function useArtifactUrl(jobId: string, isEnabled: boolean) {
  const query = useQuery({
    queryKey: queryKeys.jobArtifact(jobId),
    queryFn: ({ signal }) => fetchArtifact(jobId, signal),
    enabled: isEnabled,
    staleTime: Infinity,
    retry: (failureCount, error) => !isNotFound(error) && failureCount < 2,
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
