import { runPromote } from './run.js';
import { runAction } from '../../lib/action.js';

await runAction(runPromote);
