import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A local S3-compatible server (s3rver) with the given buckets; its credentials are S3RVER / S3RVER. */
export async function startS3(buckets: string[]): Promise<{ endpoint: string; close(): void }> {
  const child = fork(
    fileURLToPath(new URL("./s3rver-child.mjs", import.meta.url)),
    [JSON.stringify(buckets)],
    {
      execArgv: ["--openssl-legacy-provider"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve(m.port));
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => child.kill(),
  };
}
