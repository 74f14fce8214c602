// Bundle the handler with esbuild into dist/, which is exactly what the image copies to /var/task.
// Usage: node build.mjs ENTRY   (SOURCE_MAPS=1 adds dist/index.mjs.map; run the function with
// NODE_OPTIONS=--enable-source-maps to use it)
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

// Packages that cannot be bundled (native addons, packages that read files beside their own code):
// name them here and they stay out of the bundle, installed into dist/node_modules instead.
const UNBUNDLED = [];

const entry = process.argv[2];
if (!entry) {
  throw new Error("usage: node build.mjs ENTRY");
}
const pkg = JSON.parse(readFileSync("package.json", "utf8"));
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: [entry],
  outfile: "dist/index.mjs",
  bundle: true,
  platform: "node",
  target: "node{{ cookiecutter._runtimes[cookiecutter.runtime].version }}",
  format: "esm",
  minify: false,
  sourcemap: process.env.SOURCE_MAPS === "1",
  external: UNBUNDLED,
  // CommonJS packages bundled into an ES module still call require(): give them one.
  banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
  logLevel: "info",
});

if (UNBUNDLED.length > 0) {
  // The project's lockfile pins the versions; npm keeps only what these packages need.
  const dependencies = Object.fromEntries(UNBUNDLED.map((name) => {
    if (!pkg.dependencies?.[name]) {
      throw new Error(`${name} is in UNBUNDLED but not in package.json "dependencies"`);
    }
    return [name, pkg.dependencies[name]];
  }));
  writeFileSync("dist/package.json", JSON.stringify({ name: pkg.name, private: true, dependencies }, null, 2));
  copyFileSync("package-lock.json", "dist/package-lock.json");
  execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund"], { cwd: "dist", stdio: "inherit" });
}
