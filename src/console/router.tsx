import { type ComponentType, lazy, Suspense } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import { Shell } from "./layout/Shell";
import { KnowledgeBasesPage } from "./pages/knowledge-bases/KnowledgeBasesPage";

/** Pages other than the first are their own chunks, fetched on first visit. */
function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return (
    <Suspense fallback={<p className="muted" aria-busy="true" />}>
      <Page />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  // Reached without signing in: sign-up and the pages e-mailed links open.
  { path: "/auth/sign-up", element: page(() => import("./auth/SignUpPage")) },
  { path: "/auth/verify-email", element: page(() => import("./auth/EmailLinkPage")) },
  { path: "/auth/accept-invitation", element: page(() => import("./auth/EmailLinkPage")) },
  {
    path: "/",
    element: <Shell />,
    children: [
      { index: true, element: <Navigate to="/knowledge-bases" replace /> },
      { path: "knowledge-bases", element: <KnowledgeBasesPage /> },
      {
        path: "knowledge-bases/:kbId",
        element: page(() => import("./pages/knowledge-bases/KbSettingsPage")),
      },
      {
        path: "knowledge-bases/:kbId/documents",
        element: page(() => import("./pages/documents/DocumentsPage")),
      },
      { path: "documents/:docId", element: page(() => import("./pages/documents/DocumentPage")) },
      { path: "retrieval", element: page(() => import("./pages/retrieval/RetrievalPage")) },
      { path: "playground", element: page(() => import("./pages/playground/PlaygroundPage")) },
      { path: "keys", element: page(() => import("./pages/keys/KeysPage")) },
      { path: "usage", element: page(() => import("./pages/usage/UsagePage")) },
      { path: "audit", element: page(() => import("./pages/audit/AuditPage")) },
      { path: "evals", element: page(() => import("./pages/evals/EvalsPage")) },
      { path: "members", element: page(() => import("./pages/members/MembersPage")) },
      { path: "embeds", element: page(() => import("./pages/embeds/EmbedsPage")) },
      { path: "billing", element: page(() => import("./pages/billing/BillingPage")) },
      { path: "plugins", element: page(() => import("./pages/plugins/PluginsPage")) },
      { path: "templates", element: page(() => import("./pages/templates/TemplatesPage")) },
      { path: "*", element: page(() => import("./pages/slots/NotFoundPage")) },
    ],
  },
]);
