// `npm run chaos [-- --quick] [--seed N]`: the chaos harness (bench/chaos/). Not part of the default
// `npm run bench` set: it runs for minutes and starts processes of its own.
import { main } from './chaos/main.js';

process.exit(await main(process.argv.slice(2)));
