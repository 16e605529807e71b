// The one zod every schema of this project uses: zod/mini, with the English messages. Classic zod
// gives every schema object some fifty methods when it is built, and cannot be tree-shaken; an
// action builds its schemas before its first AWS call, so this is on every action's cold start
// (about 20 ms under Node 24). zod/mini's functions build the same schemas and parse alike.
// Import it as a namespace (`import * as z from '.../core/zod.js'`): the bundler then keeps only
// the functions used.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
