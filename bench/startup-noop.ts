// Start-up floor: a trivial TypeScript file run the same way as the bot (`node --import tsx`).
import { hostname } from 'node:os';

console.error(JSON.stringify({ msg: 'core ready', host: hostname().length > 0 }));
