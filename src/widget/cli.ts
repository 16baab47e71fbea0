// First: stops on a Node too old to run the rest (see node-check.ts).
import "../node-check.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { buildWidget } from "./build.js";

const built = await buildWidget();
mkdirSync("dist", { recursive: true });
writeFileSync("dist/widget.js", built.js);
console.log(`dist/widget.js: ${built.bytes} bytes, ${built.gzipBytes} bytes gzip`);
