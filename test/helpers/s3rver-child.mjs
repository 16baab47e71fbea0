// s3rver in its own process: its ListObjectsV2 continuation tokens use DES, which Node 22's OpenSSL 3
// offers only with --openssl-legacy-provider, a flag the test process itself should not carry.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

const buckets = JSON.parse(process.argv[2] ?? "[]");
const server = new S3rver({
  port: 0,
  address: "127.0.0.1",
  silent: true,
  directory: mkdtempSync(join(tmpdir(), "aihub-s3-")),
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
const info = await server.run();
process.send({ port: info.port });
process.on("disconnect", () => server.close().then(() => process.exit(0)));
