// The `airsuite` command's entry point: bin/airsuite.js runs this file through tsx in a checkout,
// and its compiled form, dist/airsuite.js, when installed from the package.
import { main } from './main.ts';

process.exitCode = await main(process.argv);
