/**
 * `node --import ./test/helpers/prod-only-hook.mjs dist/src/server.js`: proves the compiled service
 * loads nothing that `npm ci --omit=dev` would leave out. AIHUB_PROD_PACKAGES names a file listing the
 * package folders of the production tree (`npm ls --omit=dev --all --parseable`); resolving into any
 * other folder of node_modules throws, and so does the project's own code importing a devDependency
 * by name (some, like esbuild, are also in the production tree as dependencies of dependencies).
 * Plain JavaScript: it runs under node without tsx.
 */
import { readFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { fileURLToPath } from "node:url";

const allowed = new Set(
  readFileSync(process.env.AIHUB_PROD_PACKAGES ?? "", "utf8")
    .split("\n")
    .filter(Boolean),
);
const ownCode = process.env.AIHUB_OWN_CODE ?? "";
const devOnly = new Set(
  Object.keys(JSON.parse(readFileSync(process.env.AIHUB_PACKAGE_JSON ?? "", "utf8")).devDependencies),
);

const packageName = (specifier) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];

registerHooks({
  resolve(specifier, context, next) {
    const parent = context.parentURL?.startsWith("file:") ? fileURLToPath(context.parentURL) : "";
    if (
      parent.startsWith(ownCode) &&
      !/^[./]|^node:|^file:/.test(specifier) &&
      devOnly.has(packageName(specifier))
    ) {
      throw new Error(`devDependency imported at run time: "${specifier}" from ${parent}`);
    }
    const result = next(specifier, context);
    if (result.url.startsWith("file:")) {
      const path = fileURLToPath(result.url);
      const at = path.lastIndexOf("/node_modules/");
      if (at >= 0) {
        const rest = path.slice(at + "/node_modules/".length);
        const dir = path.slice(0, at + "/node_modules/".length) + packageName(rest);
        if (!allowed.has(dir))
          throw new Error(`package outside the production install loaded: ${dir} (for "${specifier}")`);
      }
    }
    return result;
  },
});
