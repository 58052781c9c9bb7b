#!/usr/bin/env node
// The `clv` command: registers tsx so Node can run the TypeScript sources, then hands over to src/cli/main.ts.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
