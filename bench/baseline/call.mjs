// Bare-runtime baseline: import the bundle and call the handler once, with no emulator and no runtime client.
import { pathToFileURL } from "node:url";

const [bundle, exported] = process.argv.slice(2);
const module = await import(pathToFileURL(bundle).href);
const context = { awsRequestId: "baseline", functionName: "baseline", getRemainingTimeInMillis: () => 30000 };
console.log(JSON.stringify(await module[exported]({ name: "Ada" }, context)));
