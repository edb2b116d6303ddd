#!/usr/bin/env node
// The paperboy CLI. TypeScript runs directly through tsx, so there is no build step to go stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
