import "./styles.css";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { ApiProblem } from "./api/client";
import { loadAccount } from "./auth/session";
import { initI18n, initialLocale } from "./i18n/index";
import { router } from "./router";

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: false,
      // A 4xx will not change by asking again; network hiccups and 5xx may.
      retry: (count, err) => count < 2 && !(err instanceof ApiProblem && err.status < 500),
    },
  },
});

// The cookie session (if any) is read alongside the catalog, so the first render knows who is signed in.
await Promise.all([initI18n(initialLocale()), loadAccount()]);
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
