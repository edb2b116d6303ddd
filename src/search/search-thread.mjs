// Entry of a search thread (search-threads.ts). Plain JavaScript: a new thread starts without the
// TypeScript loader the main thread registered (bin/paperboy.js), so it registers it first.
import { register } from 'tsx/esm/api';

register();
await import('./search-thread-main.ts');
