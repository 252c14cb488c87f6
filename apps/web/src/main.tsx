import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { tsr } from "./lib/api-client";
import { createQueryClient } from "./lib/query-client";
import { consumeTokenFromUrl } from "./lib/session";
import "./styles.css";

// Before the first render: a sign-in link's token is stored and removed from the address bar.
consumeTokenFromUrl();

const queryClient = createQueryClient();
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <tsr.ReactQueryProvider>
          <App />
        </tsr.ReactQueryProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
