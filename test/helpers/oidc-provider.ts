import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export const OIDC_CLIENT = { client_id: "ai-hub", client_secret: "provider-side-secret-0123456789" };

/**
 * A real OpenID provider (the `oidc-provider` package) on a loopback port, with its development login
 * and consent pages. Any login is accepted; the login becomes the account id and the verified email.
 */
export async function startOidcProvider(redirectUri: string): Promise<{ issuer: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        ...OIDC_CLIENT,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "email", "profile"],
    cookies: { keys: ["oidc-test-cookie-key"] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id, email_verified: true, name: "Sam Single" }),
    }),
  });
  server.on("request", provider.callback());
  return { issuer, server };
}

export async function stopOidcProvider(server: Server) {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}
